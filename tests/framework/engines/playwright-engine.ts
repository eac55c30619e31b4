/**
 * Engines Playwright drives itself: its own Chromium/Firefox/WebKit builds, Debian's
 * Chromium (same CDP path) and Debian's Firefox ESR (WebDriver BiDi, channel 'moz-firefox').
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from '@playwright/test';
import type { Engine, EngineInfo, EngineMessage, EnginePage } from './engine.js';

class PlaywrightEnginePage implements EnginePage {
  private readonly collected: EngineMessage[] = [];

  constructor(
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

  async goto(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'load' });
  }

  evaluate<T>(expression: string): Promise<T> {
    return this.page.evaluate(expression) as Promise<T>;
  }

  async waitForFunction(expression: string, timeoutMs = 10_000): Promise<void> {
    await this.page.waitForFunction(expression, undefined, { timeout: timeoutMs });
  }

  messages(): EngineMessage[] {
    return [...this.collected];
  }

  async screenshot(selector?: string): Promise<Buffer | undefined> {
    try {
      return selector === undefined
        ? await this.page.screenshot()
        : await this.page.locator(selector).screenshot({ timeout: 5_000 });
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

function normaliseLevel(type: string): string {
  return type === 'warn' ? 'warning' : type.toLowerCase();
}

export function playwrightEngine(browser: Browser, info: EngineInfo, contextOptions: BrowserContextOptions = {}): Engine {
  return {
    info,
    // A new context per page: its own cookie jar and storage, so tests never share a session.
    newPage: async () => {
      const context = await browser.newContext(contextOptions);
      const page = await context.newPage();
      return new PlaywrightEnginePage(context, page);
    },
    close: () => browser.close(),
  };
}
