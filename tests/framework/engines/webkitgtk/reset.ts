/**
 * Wipes all website data of MiniBrowser's (ephemeral) session between pages.
 *
 * The inspector cannot do it: Page.getCookies/deleteCookie only see cookies for URLs the current
 * document loaded (not other hosts or paths) and there is no "clear all storage" command.
 * MiniBrowser itself can: its `minibrowser-about:data` page lists the session's website data and
 * its buttons post `"<pageID>:<types>"` to the `aboutData` script message handler, which calls
 * webkit_website_data_manager_clear() and reloads the page when done. Clearing every type removes
 * cookies (HttpOnly too), local/session storage, IndexedDB, caches, HSTS and - measured - the
 * CORS preflight cache, which a CORS suite needs gone between tests as much as the cookies.
 *
 * That page lives in its own tab (./browser.ts), so the test tab never leaves its site for it.
 */
import type { InspectorSession } from './inspector.js';
import { ABOUT_DATA_URL } from './browser.js';
import { evaluateValue, watchNavigation } from './runtime.js';
import { withTimeout } from './util.js';

/** WEBKIT_WEBSITE_DATA_ALL of webkit2gtk-4.1 2.50 ((1 << 14) - 1); unknown bits are ignored. */
const ALL_WEBSITE_DATA_TYPES = (1 << 14) - 1;

/**
 * How the about:data page describes what is left: its section titles and the page ID its buttons
 * use. As JSON text: the inspector returns a string in one round trip, an object in two.
 */
const READ_LISTING = `JSON.stringify({
  pageId: (/clearData\\('(\\d+):/.exec(document.documentElement.outerHTML) || [])[1] || null,
  sections: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
})`;

interface Listing {
  pageId: string | null;
  sections: string[];
}

/**
 * Clears all website data through the about:data tab; throws if anything is still listed.
 * The test tab must already be off its last page (at about:blank), so nothing it started is
 * still writing.
 */
export async function clearWebsiteData(dataSession: InspectorSession, timeoutMs: number): Promise<void> {
  // The listing is built when the page loads: reload it to see what the last test left.
  await reloadDataPage(dataSession, 'location.reload(), true', timeoutMs);
  let listing = await readListing(dataSession);
  // A clear can race with data being written (e.g. a request of the previous page finishing late).
  for (let attempt = 0; attempt < 3 && listing.sections.length > 0; attempt++) {
    if (listing.pageId === null) throw new Error(`webkit: ${ABOUT_DATA_URL} lists ${listing.sections.join(', ')} but no page ID`);
    // MiniBrowser reloads the page once the data is gone.
    const clear = `window.webkit.messageHandlers.aboutData.postMessage(${JSON.stringify(`${listing.pageId}:${ALL_WEBSITE_DATA_TYPES}`)}), true`;
    await reloadDataPage(dataSession, clear, timeoutMs);
    listing = await readListing(dataSession);
  }
  if (listing.sections.length > 0) throw new Error(`webkit: website data left after clearing: ${listing.sections.join(', ')}`);
}

async function readListing(dataSession: InspectorSession): Promise<Listing> {
  return JSON.parse(await evaluateValue<string>(dataSession, READ_LISTING)) as Listing;
}

/** Runs `expression` in the about:data tab and waits for the reload it causes. */
async function reloadDataPage(dataSession: InspectorSession, expression: string, timeoutMs: number): Promise<void> {
  const reloaded = watchNavigation(dataSession, ABOUT_DATA_URL);
  try {
    await evaluateValue(dataSession, expression);
    await withTimeout(reloaded.loaded, timeoutMs, `webkit: ${ABOUT_DATA_URL} did not reload`);
  } finally {
    reloaded.dispose();
  }
}
