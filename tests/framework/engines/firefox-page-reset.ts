/**
 * Firefox's wipe of a reused page (./reusable-page.ts), for Firefox over WebDriver BiDi (Debian's
 * Firefox ESR). BiDi has no command that clears a context's caches or storage, and Firefox takes
 * one BiDi session, Playwright's. So the wipe runs as privileged script in the browser's own
 * window through that session: Firefox allows it when started with --remote-allow-system-access,
 * and Playwright's in-process server objects give the session (Playwright's own tests reach them
 * the same way; the version is pinned in package.json). Where they are missing, `firefoxChromeWipe`
 * says why and the engine gives each test a new context instead, as it does for Playwright's Firefox.
 *
 * Cookies and storage are wiped for the page's user context; the HTTP cache, the CORS preflight
 * cache, session storage and session history only clear browser-wide. That is safe because an engine hands out one
 * page at a time (the EnginePage contract) and each worker has its own browser.
 */
import type { Browser, BrowserContext } from '@playwright/test';
import type { PageWipe } from './reusable-page.js';

/** The Firefox flag that lets a BiDi session run script in the browser's own (chrome) windows. */
export const FIREFOX_SYSTEM_ACCESS_ARG = '--remote-allow-system-access';

interface BidiSession {
  send(method: string, params: object): Promise<unknown>;
}

type EvaluateResult = { type: 'success' } | { type: 'exception'; exceptionDetails?: { text?: string } };

/**
 * Runs with the BiDi user context's id; resolves when everything is gone. Clear-data by origin
 * attributes takes every kind Firefox keeps per context: cookies, storage, permissions (such
 * as storage-access grants), HSTS and more. The HTTP cache, CORS preflight cache, session
 * storage and the tab's session history need their own browser-wide calls (measured: each one
 * left out fails the contract; with the old history, Firefox's storage-access heuristics sent
 * the org's cookie cross-site in every cross-site scenario after the first).
 */
const WIPE_SCRIPT = (userContext: string): string => `(async () => {
  const { UserContextManager } = ChromeUtils.importESModule('chrome://remote/content/shared/UserContextManager.sys.mjs');
  const userContextId = UserContextManager.getInternalIdById(${JSON.stringify(userContext)});
  if (typeof userContextId !== 'number') throw new Error('no user context ' + ${JSON.stringify(userContext)});
  await new Promise((resolve, reject) =>
    Services.clearData.deleteDataFromOriginAttributesPattern({ userContextId }, {
      onDataDeleted: (failed) => (failed === 0 ? resolve() : reject(new Error('clear-data flags not cleared: ' + failed))),
    }),
  );
  Services.cache2.clear();
  Services.obs.notifyObservers(null, 'browser:purge-sessionStorage');
  Services.obs.notifyObservers(null, 'browser:purge-session-history');
  Cc['@mozilla.org/network/protocol;1?name=http'].getService(Ci.nsIHttpProtocolHandler).clearCORSPreflightCache();
})()`;

/** Playwright's server-side object behind a client object, in-process (what `_connection.toImpl` gives its own tests). */
function serverSideOf(object: Browser | BrowserContext): Record<string, unknown> | undefined {
  // Reason for the cast: these are Playwright internals, checked field by field below.
  const connection = (object as unknown as { _connection?: { toImpl?: (x: unknown) => unknown } })._connection;
  const impl = typeof connection?.toImpl === 'function' ? connection.toImpl(object) : undefined;
  return typeof impl === 'object' && impl !== null ? (impl as Record<string, unknown>) : undefined;
}

function bidiSessionOf(browser: Browser): BidiSession {
  const session = serverSideOf(browser)?._browserSession as Partial<BidiSession> | undefined;
  if (typeof session?.send !== 'function') throw new Error("Playwright's BiDi session is not reachable (Playwright internals changed: keep @playwright/test at the version package.json pins)");
  return session as BidiSession;
}

function userContextOf(context: BrowserContext): string {
  const id = serverSideOf(context)?._browserContextId;
  if (typeof id !== 'string') throw new Error("the context's BiDi user context is not reachable (Playwright internals changed: keep @playwright/test at the version package.json pins)");
  return id;
}

async function chromeWindowOf(session: BidiSession): Promise<string> {
  const tree = (await session.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 })) as { contexts?: { context: string }[] };
  const window = tree.contexts?.[0]?.context;
  if (window === undefined) throw new Error('Firefox lists no browser window');
  return window;
}

/**
 * The wipe for `browser`, once Firefox has run script in its window: throws one line when it
 * cannot (no system access, Playwright internals changed), so the engine can fall back.
 */
export async function firefoxChromeWipe(browser: Browser): Promise<PageWipe> {
  const session = bidiSessionOf(browser);
  let window = await chromeWindowOf(session);
  const run = async (expression: string): Promise<void> => {
    const result = (await session.send('script.evaluate', {
      expression,
      target: { context: window },
      awaitPromise: true,
      resultOwnership: 'none',
    })) as EvaluateResult;
    if (result.type === 'exception') throw new Error(`firefox: page wipe failed: ${result.exceptionDetails?.text ?? 'unknown error'}`);
  };
  await run('Services.appinfo.name');
  return async ({ context }) => {
    const script = WIPE_SCRIPT(userContextOf(context));
    try {
      await run(script);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('firefox: page wipe failed')) throw error;
      // Not the script: the window it ran in may have closed. Find one again, once.
      window = await chromeWindowOf(session);
      await run(script);
    }
  };
}
