/**
 * Finds and starts an engine. Playwright's own browser is the default whenever it is
 * installed; otherwise the system's. CORS_ENGINES=playwright|system forces one kind.
 * An engine that cannot start is an error with one line naming the fix, never a skip.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, firefox, webkit, type BrowserType, type LaunchOptions } from '@playwright/test';
import { EngineUnavailableError, type Engine, type EngineKind, type EngineName } from './engine.js';
import { playwrightEngine, type LaunchedBrowser } from './playwright-engine.js';
import { chromiumDevToolsWipe } from './chromium-page-reset.js';
import { FIREFOX_SYSTEM_ACCESS_ARG, firefoxChromeWipe } from './firefox-page-reset.js';
import { cookiePolicyFor, type CookiePolicy } from './cookie-policy.js';
import { launchWithSiteAccess, withWebKitGtkSiteAccess } from './site-access.js';
import { useOwnTempFolder } from './temp-folder.js';

export type EnginePreference = 'auto' | EngineKind;

const SETUP_COMMAND = 'npm run setup';

/** Debian's builds, and how reports name them. */
const SYSTEM_BROWSERS = {
  // The headless shell (package chromium-headless-shell) is the build Playwright itself runs for
  // headless Chromium; its own binary, not /usr/bin's wrapper script, so the leash holds it.
  // Measured here against the full `chromium`: the suite's Chromium scenarios 94 s → 71 s.
  chromium: { path: '/usr/lib/chromium/chromium-headless-shell', label: 'Debian Chromium headless shell' },
  // The shell has no profile preferences, so it ignores a third-party-cookie block set there
  // (./site-access.ts): that policy runs in the full browser.
  chromiumWithProfilePolicy: { path: '/usr/bin/chromium', label: 'Debian Chromium' },
  firefox: { path: '/usr/bin/firefox-esr', label: 'Debian Firefox ESR over WebDriver BiDi' },
} as const;

function systemBrowser(name: Exclude<EngineName, 'webkit'>, policy: CookiePolicy): { path: string; label: string } {
  if (name === 'firefox') return SYSTEM_BROWSERS.firefox;
  return policy.id === 'third-party-blocked' ? SYSTEM_BROWSERS.chromiumWithProfilePolicy : SYSTEM_BROWSERS.chromium;
}

// Debian's Chromium runs as root here, and the closed network refuses its background calls.
const SYSTEM_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Playwright's own Firefox build runs every site in shared content processes; Firefox ESR's
 * default (Fission) starts a process per site and container, i.e. one for nearly every test
 * (measured: 216 fresh pages with a navigation and an XHR took 165 s with Fission, 140 s
 * without, in one loaded sitting). CORS, cookies and caches are enforced in the network layer either way, and the
 * engine contract holds. Same preferences as Playwright's build.
 */
const SYSTEM_FIREFOX_PREFS = { 'fission.webContentIsolationStrategy': 0, 'fission.bfcacheInParent': false };

const browserTypes: Record<EngineName, BrowserType> = { chromium, firefox, webkit };

const LEASH = fileURLToPath(new URL('./browser-leash.sh', import.meta.url));

/** Launch options that run `executablePath` through browser-leash.sh: it dies with this worker. */
function leashed(executablePath: string): Pick<LaunchOptions, 'executablePath' | 'env'> {
  return { executablePath: LEASH, env: { ...process.env, CORS_BROWSER_EXECUTABLE: executablePath } };
}

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message);
}

export function enginePreference(value = process.env.CORS_ENGINES): EnginePreference {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'playwright' || value === 'system') return value;
  throw new Error(`CORS_ENGINES must be 'auto', 'playwright' or 'system', got '${value}'`);
}

function playwrightBrowserInstalled(name: EngineName): boolean {
  try {
    return existsSync(browserTypes[name].executablePath());
  } catch {
    return false;
  }
}

/** Which kind will run `name`, without starting anything. */
export function resolveEngineKind(name: EngineName, preference: EnginePreference): EngineKind {
  if (preference !== 'auto') return preference;
  return playwrightBrowserInstalled(name) ? 'playwright' : 'system';
}

export async function launchEngine(name: EngineName, preference: EnginePreference = enginePreference()): Promise<Engine> {
  const kind = resolveEngineKind(name, preference);
  useOwnTempFolder();
  const policy = cookiePolicyFor(name);
  if (kind === 'playwright') {
    if (!playwrightBrowserInstalled(name)) {
      throw new EngineUnavailableError(
        `${name}: Playwright's ${name} is not installed; run \`npx playwright install ${name}\`, or \`${SETUP_COMMAND}\` to use the system's browsers`,
      );
    }
    const options = leashed(browserTypes[name].executablePath());
    const launch = async (): Promise<LaunchedBrowser> => withPageWipe(name, kind, await launchWithSiteAccess(name, options, policy));
    return playwrightEngine(launch, (version) => ({
      name,
      kind,
      version,
      description: `Playwright's ${name} ${version}`,
    }));
  }
  if (name === 'webkit') {
    // Loaded only when needed: the inspector client is of no use to the other engines.
    const { launchWebKitGtk } = await import('./webkitgtk/index.js');
    return withWebKitGtkSiteAccess(policy, (extraArgs) => launchWebKitGtk({ extraArgs }));
  }

  const { path: executablePath, label } = systemBrowser(name, policy);
  if (!existsSync(executablePath)) {
    throw new EngineUnavailableError(
      `${name}: no browser found (neither Playwright's ${name} nor ${executablePath}); run \`${SETUP_COMMAND}\``,
    );
  }
  const options: LaunchOptions =
    name === 'chromium'
      ? { ...leashed(executablePath), args: SYSTEM_CHROMIUM_ARGS }
      : // Stock Firefox over WebDriver BiDi (experimental in Playwright; pinned to 1.64.1 for ESR 153).
        { ...leashed(executablePath), channel: 'moz-firefox', firefoxUserPrefs: SYSTEM_FIREFOX_PREFS, args: [FIREFOX_SYSTEM_ACCESS_ARG] };
  const launch = async (): Promise<LaunchedBrowser> => withPageWipe(name, kind, await launchWithSiteAccess(name, options, policy));
  return playwrightEngine(launch, (version) => ({ name, kind, version, description: `${label} ${version} (${executablePath})` }));
}

/**
 * How a worker's page is made fresh for the next test (./reusable-page.ts): Chromium's through
 * DevTools, Debian's Firefox's through Playwright's BiDi session; without a wipe (Playwright's
 * Firefox and WebKit, or a Firefox whose session cannot be reached) each test gets a new context.
 */
async function withPageWipe(name: EngineName, kind: EngineKind, launched: LaunchedBrowser): Promise<LaunchedBrowser> {
  if (name === 'chromium') return { ...launched, wipe: chromiumDevToolsWipe() };
  if (name !== 'firefox' || kind !== 'system') return launched;
  try {
    return { ...launched, wipe: await firefoxChromeWipe(launched.browser) };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    warnOnce(`firefox: pages cannot be wiped for reuse (${reason}); each test gets a new context, which is slower`);
    return launched;
  }
}
