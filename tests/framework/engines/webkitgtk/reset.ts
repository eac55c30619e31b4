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
 */
import type { InspectorSession } from './inspector.js';
import { evaluateValue, navigate, watchNavigation } from './runtime.js';
import { withTimeout } from './util.js';

const ABOUT_DATA_URL = 'minibrowser-about:data';

/** WEBKIT_WEBSITE_DATA_ALL of webkit2gtk-4.1 2.50 ((1 << 14) - 1); unknown bits are ignored. */
const ALL_WEBSITE_DATA_TYPES = (1 << 14) - 1;

/** How the about:data page describes what is left: its section titles and the page ID its buttons use. */
const READ_LISTING = `(() => ({
  pageId: (/clearData\\('(\\d+):/.exec(document.documentElement.outerHTML) || [])[1] || null,
  sections: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
}))()`;

interface Listing {
  pageId: string | null;
  sections: string[];
}

/** Clears all website data and leaves the page at about:blank; throws if anything is still listed. */
export async function clearWebsiteData(session: InspectorSession, timeoutMs: number): Promise<void> {
  await navigate(session, ABOUT_DATA_URL, timeoutMs);
  let listing = await evaluateValue<Listing>(session, READ_LISTING);
  // A clear can race with data being written (e.g. a request of the previous page finishing late).
  for (let attempt = 0; attempt < 3 && listing.sections.length > 0; attempt++) {
    if (listing.pageId === null) throw new Error(`webkit: ${ABOUT_DATA_URL} lists ${listing.sections.join(', ')} but no page ID`);
    const reloaded = watchNavigation(session, ABOUT_DATA_URL);
    try {
      await evaluateValue(session, `window.webkit.messageHandlers.aboutData.postMessage(${JSON.stringify(`${listing.pageId}:${ALL_WEBSITE_DATA_TYPES}`)}), true`);
      await withTimeout(reloaded.loaded, timeoutMs, `webkit: ${ABOUT_DATA_URL} did not reload after clearing website data`);
    } finally {
      reloaded.dispose();
    }
    listing = await evaluateValue<Listing>(session, READ_LISTING);
  }
  if (listing.sections.length > 0) throw new Error(`webkit: website data left after clearing: ${listing.sections.join(', ')}`);
  await navigate(session, 'about:blank', timeoutMs);
}
