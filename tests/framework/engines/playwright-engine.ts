/**
 * Engines Playwright drives itself: its own Chromium/Firefox/WebKit builds, Debian's
 * Chromium (same CDP path) and Debian's Firefox ESR (WebDriver BiDi, channel 'moz-firefox').
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from '@playwright/test';
import type { Engine, EngineInfo, EngineMessage, EnginePage } from './engine.js';
import type { SiteAccess } from './site-access.js';
import { GOTO_TIMEOUT_MS } from './engine.js';

class PlaywrightEnginePage implements EnginePage {
  private readonly collected: EngineMessage[] = [];

  constructor(
    private readonly engineName: string,
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {
    page.on('console', (message) =>
      this.collected.push({ kind: 'console', level: normaliseLevel(message.type()), text: message.text() }),
    );
    // Firefox over BiDi reports a CORS block as a page error whose name is
    // "Cross-Origin Request Blocked": keep the name so the text reads as the engine printed it.
    page.on('pageerror', (error) =>
      this.collected.push({
        kind: 'page-error',
        level: 'error',
        text: error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message,
      }),
    );
    page.on('requestfailed', (request) =>
      this.collected.push({
        kind: 'request-failed',
        level: 'error',
        text: `${request.method()} ${request.url()} failed: ${request.failure()?.errorText ?? 'unknown error'}`,
      }),
    );
  }

  async goto(url: string, timeoutMs = GOTO_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let alreadyUnderWay = false;
    for (let attempt = 1; ; attempt++) {
      const options = { waitUntil: 'load', timeout: Math.max(deadline - Date.now(), 1) } as const;
      try {
        await (alreadyUnderWay ? this.page.waitForURL(url, options) : this.page.goto(url, options));
        return;
      } catch (error) {
        if (error instanceof Error && error.name === 'TimeoutError') {
          throw new Error(`${this.engineName}: goto ${url} timed out after ${timeoutMs} ms waiting for the load event`);
        }
        // Chromium commits the error page of a failed load, or a load Playwright gave up on,
        // late: that commit interrupts the next goto (measured up to twice in a row). When it
        // is a navigation to this very URL, wait for it to load instead of starting another.
        const interruptedBy = /is interrupted by another navigation to "([^"]*)"/.exec(String(error))?.[1];
        if (attempt < 3 && interruptedBy !== undefined) {
          alreadyUnderWay = interruptedBy === url;
          continue;
        }
        throw this.oneLine(error, `goto ${url} failed`);
      }
    }
  }

  async evaluate<T>(expression: string): Promise<T> {
    try {
      return (await this.page.evaluate(expression)) as T;
    } catch (error) {
      throw this.oneLine(error, 'evaluate');
    }
  }

  async waitForFunction(expression: string, timeoutMs = 10_000): Promise<void> {
    try {
      await this.page.waitForFunction(expression, undefined, { timeout: timeoutMs });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new Error(`${this.engineName}: waitForFunction timed out after ${timeoutMs} ms: ${expression}`);
      }
      throw this.oneLine(error, 'waitForFunction');
    }
  }

  messages(): EngineMessage[] {
    return [...this.collected];
  }

  async screenshot(selector?: string): Promise<Buffer | undefined> {
    try {
      if (selector === undefined) return await this.page.screenshot();
      const element = this.page.locator(selector).first();
      // Missing now is missing: no waiting for it to appear.
      return (await element.count()) === 0 ? undefined : await element.screenshot({ timeout: 5_000 });
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }

  /** Playwright's errors span lines (call log, stack): keep the first, prefixed with engine and step. */
  private oneLine(error: unknown, step: string): Error {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return new Error(`${this.engineName}: ${step}: ${first.replace(/^\w+\.\w+: /, '')}`);
  }
}

function normaliseLevel(type: string): string {
  return type === 'warn' ? 'warning' : type.toLowerCase();
}

/** A launched browser, the options of the contexts it opens, and what its info adds (site access). */
export interface LaunchedBrowser {
  browser: Browser;
  contextOptions: BrowserContextOptions;
  siteAccess?: SiteAccess;
}

/**
 * `launch` starts the browser; it runs again when the browser died, so the next page works.
 * Every page gets a new context: its own cookie jar, storage and caches. The next page's context
 * is opened while the current test runs (measured: ~0.55 s of a ~1.4 s Chromium test went into
 * newPage), never shared: a page is handed out once, and closed with its context.
 */
export async function playwrightEngine(launch: () => Promise<LaunchedBrowser>, describe: (version: string) => EngineInfo): Promise<Engine> {
  let launched = await launch();
  let closed = false;
  let next: Promise<PlaywrightEnginePage> | undefined;
  const open = async (): Promise<PlaywrightEnginePage> => {
    const context = await launched.browser.newContext(launched.contextOptions);
    return new PlaywrightEnginePage(launched.browser.browserType().name(), context, await context.newPage());
  };
  /** The prepared page, unless the browser died (a call to a dead browser may never settle). */
  const takePrepared = async (): Promise<PlaywrightEnginePage | undefined> => {
    const prepared = next;
    next = undefined;
    const { browser } = launched;
    if (!prepared || !browser.isConnected()) return undefined;
    let onGone = (): void => undefined;
    const gone = new Promise<undefined>((resolve) => (onGone = () => resolve(undefined)));
    browser.once('disconnected', onGone);
    try {
      return await Promise.race([prepared.catch(() => undefined), gone]);
    } finally {
      browser.off('disconnected', onGone);
    }
  };
  const { siteAccess } = launched;
  return {
    info: { ...describe(launched.browser.version()), ...(siteAccess ? { siteAccess } : {}) },
    newPage: async () => {
      if (closed) throw new Error('the engine is closed');
      let page = await takePrepared();
      if (page === undefined || !launched.browser.isConnected()) {
        if (!launched.browser.isConnected()) launched = await launch();
        page = await open();
      }
      next = open();
      next.catch(() => undefined);
      return page;
    },
    close: async () => {
      closed = true;
      await (await takePrepared())?.close();
      await launched.browser.close();
    },
  };
}
