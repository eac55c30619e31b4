/**
 * Chromium's wipe of a reused page (./reusable-page.ts), through DevTools: the context's cookies,
 * its HTTP cache and with it the CORS preflight cache, the page's session history, and every
 * reached origin's storage.
 */
import type { CDPSession, Page } from '@playwright/test';
import type { PageWipe } from './reusable-page.js';

export function chromiumDevToolsWipe(): PageWipe {
  const sessions = new WeakMap<Page, CDPSession>();
  return async ({ context, page, origins }) => {
    let cdp = sessions.get(page);
    if (cdp === undefined) {
      cdp = await context.newCDPSession(page);
      sessions.set(page, cdp);
    }
    const session = cdp;
    // Independent of each other: sent together, answered in one round trip's time.
    await Promise.all([
      session.send('Network.clearBrowserCookies'),
      // The HTTP cache, and with it (BrowsingDataRemover's cache type) the CORS preflight cache.
      session.send('Network.clearBrowserCache'),
      // The page's back/forward list: a new page has none of earlier tests' documents.
      session.send('Page.resetNavigationHistory'),
      ...origins.map((origin) => session.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' })),
    ]);
  };
}
