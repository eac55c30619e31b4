/**
 * Engines Playwright drives itself: its own Chromium/Firefox/WebKit builds, Debian's
 * Chromium (same CDP path) and Debian's Firefox ESR (WebDriver BiDi, channel 'moz-firefox').
 */
import type { Browser, BrowserContextOptions, ConsoleMessage, Page, Request } from '@playwright/test';
import type { Engine, EngineCookie, EngineInfo, EngineMessage, EnginePage } from './engine.js';
import type { SiteAccess } from './site-access.js';
import { GOTO_TIMEOUT_MS, jarDomain } from './engine.js';
import { waitInPage, type PollAnswer } from './in-page-poll.js';
import { ReusablePage, type PageWipe } from './reusable-page.js';

class PlaywrightEnginePage implements EnginePage {
  private readonly collected: EngineMessage[] = [];
  private readonly stopListening: () => void;
  private released = false;

  constructor(
    private readonly engineName: string,
    private readonly page: Page,
    /** Gives the page back: its context closes, or (Chromium) it is reset for the next test. */
    private readonly release: () => Promise<void>,
  ) {
    const onConsole = (message: ConsoleMessage): void => {
      this.collected.push({ kind: 'console', level: normaliseLevel(message.type()), text: message.text() });
    };
    // Firefox over BiDi reports a CORS block as a page error whose name is
    // "Cross-Origin Request Blocked": keep the name so the text reads as the engine printed it.
    const onPageError = (error: Error): void => {
      const text = error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
      this.collected.push({ kind: 'page-error', level: 'error', text });
    };
    const onRequestFailed = (request: Request): void => {
      const text = `${request.method()} ${request.url()} failed: ${request.failure()?.errorText ?? 'unknown error'}`;
      this.collected.push({ kind: 'request-failed', level: 'error', text });
    };
    page.on('console', onConsole);
    page.on('pageerror', onPageError);
    page.on('requestfailed', onRequestFailed);
    this.stopListening = () => {
      page.off('console', onConsole);
      page.off('pageerror', onPageError);
      page.off('requestfailed', onRequestFailed);
    };
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

  /**
   * Polls `expression` inside the page (./in-page-poll.ts). Not Playwright's waitForFunction: that
   * first injects Playwright's large script into every new document (measured ~45 ms a call in
   * Chromium), and these waits run after nearly every step of a test.
   */
  async waitForFunction(expression: string, timeoutMs = 10_000): Promise<void> {
    await waitInPage({
      engineName: this.engineName,
      evaluatePoll: (source) => this.page.evaluate<PollAnswer>(source),
      fatal: (error) => (this.page.isClosed() || /crash|has been closed/i.test(String(error)) ? this.oneLine(error, 'waitForFunction') : undefined),
      describe: (error) => this.oneLine(error, 'evaluate').message,
    }, expression, timeoutMs);
  }

  messages(): EngineMessage[] {
    return [...this.collected];
  }

  async addCookie({ url, name, value, domain, path, expires, httpOnly, secure, sameSite }: EngineCookie): Promise<void> {
    try {
      await this.page.context().addCookies([
        { name, value, domain: jarDomain({ url, domain }), path, httpOnly, secure, ...(expires === undefined ? {} : { expires }), ...(sameSite === undefined ? {} : { sameSite }) },
      ]);
    } catch (error) {
      throw this.oneLine(error, `addCookie ${name} for ${url}`);
    }
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
    if (this.released) return;
    this.released = true;
    this.stopListening();
    await this.release();
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
  /** How a given-back page is made fresh for the next test; without it each test gets a new context. */
  wipe?: PageWipe;
}

/** Where an engine's pages come from: `take` hands one out with what gives it back. */
interface PageSource {
  take(browser: LaunchedBrowser): Promise<{ page: Page; release: () => Promise<void> }>;
  /** The browser died or the engine closes: what the source holds goes (never awaited on a dead browser). */
  drop(): Promise<void>;
}

/** Resolves with `work`, or undefined as soon as `browser` disconnects (a call to a dead browser may never settle). */
async function unlessGone<T>(browser: Browser, work: Promise<T>): Promise<T | undefined> {
  if (!browser.isConnected()) return undefined;
  let onGone = (): void => undefined;
  const gone = new Promise<undefined>((resolve) => (onGone = () => resolve(undefined)));
  browser.once('disconnected', onGone);
  try {
    return await Promise.race([work.catch(() => undefined), gone]);
  } finally {
    browser.off('disconnected', onGone);
  }
}

/**
 * Playwright's Firefox and WebKit, and a Firefox whose page cannot be wiped: every page gets a new
 * context (its own cookie jar, storage and caches). The next page's context is opened while the
 * current test runs (measured, when Chromium still worked this way: ~0.55 s of a ~1.4 s test went
 * into newPage), never shared: a page is handed out once, closed with its context.
 */
function freshContexts(): PageSource {
  let next: Promise<Page> | undefined;
  const open = async ({ browser, contextOptions }: LaunchedBrowser): Promise<Page> => (await browser.newContext(contextOptions)).newPage();
  const takePrepared = async (browser: Browser): Promise<Page | undefined> => {
    const prepared = next;
    next = undefined;
    return prepared === undefined ? undefined : unlessGone(browser, prepared);
  };
  return {
    take: async (launched) => {
      const page = (await takePrepared(launched.browser)) ?? (await open(launched));
      next = open(launched);
      next.catch(() => undefined);
      return { page, release: () => page.context().close().catch(() => undefined) };
    },
    drop: async () => {
      const prepared = next;
      next = undefined;
      void prepared?.then((page) => page.context().close()).catch(() => undefined);
    },
  };
}

/** Chromium, and Firefox over BiDi: a page given back is wiped (./reusable-page.ts) and handed out again. */
function reusedPages(wipe: PageWipe): PageSource {
  let idle: { reusable: ReusablePage; ready: Promise<boolean> }[] = [];
  /** A page whose wipe succeeded; one whose wipe failed (or whose browser died) is closed instead. */
  const takeIdle = async (browser: Browser): Promise<ReusablePage | undefined> => {
    for (let slot = idle.pop(); slot !== undefined; slot = idle.pop()) {
      if ((await unlessGone(browser, slot.ready)) === true) return slot.reusable;
      void slot.reusable.close();
    }
    return undefined;
  };
  return {
    take: async (launched) => {
      const taken = (await takeIdle(launched.browser)) ?? (await ReusablePage.open(await launched.browser.newContext(launched.contextOptions), wipe));
      return {
        page: taken.page,
        release: async () => {
          if (!taken.reusable || !launched.browser.isConnected()) return taken.close();
          // Reset in the background: the next test's fixtures set up meanwhile; take() awaits it.
          idle.push({ reusable: taken, ready: taken.reset().then(() => true, () => false) });
        },
      };
    },
    drop: async () => {
      const dropped = idle;
      idle = [];
      for (const { reusable } of dropped) void reusable.close();
    },
  };
}

/** `launch` starts the browser; it runs again when the browser died, so the next page works. */
export async function playwrightEngine(launch: () => Promise<LaunchedBrowser>, describe: (version: string) => EngineInfo): Promise<Engine> {
  let launched = await launch();
  let closed = false;
  const engineName = launched.browser.browserType().name();
  const pagesOf = ({ wipe }: LaunchedBrowser): PageSource => (wipe ? reusedPages(wipe) : freshContexts());
  let pages = pagesOf(launched);
  const { siteAccess } = launched;
  return {
    info: { ...describe(launched.browser.version()), ...(siteAccess ? { siteAccess } : {}) },
    newPage: async () => {
      if (closed) throw new Error('the engine is closed');
      if (!launched.browser.isConnected()) {
        await pages.drop();
        launched = await launch();
        pages = pagesOf(launched);
      }
      const { page, release } = await pages.take(launched);
      return new PlaywrightEnginePage(engineName, page, release);
    },
    close: async () => {
      closed = true;
      await pages.drop();
      await launched.browser.close();
    },
  };
}
