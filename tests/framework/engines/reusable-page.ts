/**
 * A worker's page handed out again instead of a new context per test: a new context costs a new
 * renderer process in Chromium and a new window in Firefox over BiDi (measured: Chromium 216
 * navigations with one XHR each took 154 s with a fresh page each, 24 s on one page; Firefox ESR
 * 546 ms a test against 272 ms reset and reused). Before each reuse the page goes to about:blank
 * and the engine's wipe (./chromium-page-reset.ts, ./firefox-page-reset.ts) removes what a new
 * context would not have. The engine contract (tests/engine-contract/engine-page.spec.ts) proves
 * the reused page is as fresh as a new one.
 */
import type { BrowserContext, Page } from '@playwright/test';

/** Removes the context's cookies, storage, HTTP cache and CORS preflight cache; `origins` are the ones its page reached. */
export type PageWipe = (target: { context: BrowserContext; page: Page; origins: readonly string[] }) => Promise<void>;

/** A context with its one page, and every origin the page's documents, frames and workers reached. */
export class ReusablePage {
  private readonly origins = new Set<string>();
  private crashed = false;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly wipe: PageWipe,
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

  static async open(context: BrowserContext, wipe: PageWipe): Promise<ReusablePage> {
    return new ReusablePage(context, await context.newPage(), wipe);
  }

  /** Leaves the page at about:blank with nothing of what earlier tests left in the context. */
  async reset(): Promise<void> {
    // First stop the old document: its scripts and requests could otherwise write after the wipe.
    await this.page.goto('about:blank');
    const origins = [...this.origins];
    this.origins.clear();
    await this.wipe({ context: this.context, page: this.page, origins });
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}
