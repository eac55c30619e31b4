/**
 * Chromium hands a worker's page out again instead of opening a new context per test: a new
 * context costs a new renderer process (measured: a fresh page per test made 216 navigations
 * with one XHR each take 154 s against 24 s on one page). Before each reuse, DevTools wipes what
 * a new context would not have: the context's cookies, its HTTP and CORS preflight caches, and
 * every origin's storage that the page reached. The engine contract
 * (tests/engine-contract/engine-page.spec.ts) proves the reused page is as fresh as a new one.
 */
import type { BrowserContext, CDPSession, Page } from '@playwright/test';

/** A context with its one page, and every origin the page's documents, frames and workers reached. */
export class ReusablePage {
  private readonly origins = new Set<string>();
  private cdp: CDPSession | undefined;
  private crashed = false;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol === 'http:' || url.protocol === 'https:') this.origins.add(url.origin);
    });
    page.on('crash', () => (this.crashed = true));
  }

  /** False once the page crashed or was closed: it then goes with its context, never to a next test. */
  get reusable(): boolean {
    return !this.crashed && !this.page.isClosed();
  }

  static async open(context: BrowserContext): Promise<ReusablePage> {
    return new ReusablePage(context, await context.newPage());
  }

  /** Leaves the page at about:blank with nothing of what earlier tests left in the context. */
  async reset(): Promise<void> {
    // First stop the old document: its scripts and requests could otherwise write after the wipe.
    await this.page.goto('about:blank');
    this.cdp ??= await this.context.newCDPSession(this.page);
    const cdp = this.cdp;
    await cdp.send('Network.clearBrowserCookies');
    // The HTTP cache, and with it (BrowsingDataRemover's cache type) the CORS preflight cache.
    await cdp.send('Network.clearBrowserCache');
    const origins = [...this.origins];
    this.origins.clear();
    await Promise.all(origins.map((origin) => cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' })));
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}
