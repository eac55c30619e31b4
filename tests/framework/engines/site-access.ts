/**
 * What each engine is told at launch so the cross-site and custom-domain topologies work in it
 * (servers/topology/): the suite's host names reach 127.0.0.1, the suite's own CA is accepted in
 * the narrowest way the engine offers, and its third-party-cookie policy is set explicitly.
 * Harmless to the same-site topology (plain http on 127.0.0.1), so every engine gets it.
 *   Chromium  --host-resolver-rules, --ignore-certificate-errors-spki-list=<the CA's key>, and the
 *             cookie policy in a fresh profile's Preferences (Chromium has no switch for it)
 *   Firefox   network.dns.localDomains, cookie prefs, ignoreHTTPSErrors per context
 *   WebKitGTK --proxy to a per-engine name proxy, --ignore-tls-errors, --cookies-policy, --enable-itp
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, firefox, webkit, type Browser, type BrowserContextOptions, type LaunchOptions } from '@playwright/test';
import { startNameProxy } from '../../../servers/topology/name-proxy.js';
import { localTls } from '../../../servers/topology/tls.js';
import { hostResolverRules, NAMES_ADDRESS, SUITE_HOST_NAMES } from '../../../servers/topology/topologies.js';
import { assertFeaturesAsShipped, featuresAsShipped } from './chromium-features.js';
import type { CookiePolicy } from './cookie-policy.js';
import type { Engine, EngineName } from './engine.js';
import { removeQuietly } from './temp-folder.js';

/** Recorded on the engine: which policy runs, and how names and TLS were arranged. */
export interface SiteAccess {
  cookiePolicy: CookiePolicy;
  names: string;
  tls: string;
}

// ---------------------------------------------------------------- Chromium

async function chromiumSiteArgs(): Promise<string[]> {
  const { caSpkiSha256 } = await localTls();
  // Accepts certificates whose chain holds this key only: the suite's CA, nobody else's.
  return [`--host-resolver-rules=${hostResolverRules()}`, `--ignore-certificate-errors-spki-list=${caSpkiSha256}`];
}

/** The profile's Preferences for the policy: 0 allows third-party cookies, 1 blocks them. */
function chromiumCookiePrefs(policy: CookiePolicy): object {
  const block = policy.id === 'third-party-blocked';
  return { profile: { cookie_controls_mode: block ? 1 : 0, block_third_party_cookies: block } };
}

/**
 * Chromium started on a fresh profile holding the cookie policy; the contexts the engine opens
 * (browser.newContext) inherit it. The profile folder goes when the browser does.
 */
async function launchChromiumWithPolicy(options: LaunchOptions, policy: CookiePolicy): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'cors-chromium-profile-'));
  try {
    await mkdir(join(profile, 'Default'));
    await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify(chromiumCookiePrefs(policy)));
    const args = [...(options.args ?? []), ...(await chromiumSiteArgs())];
    const context = await chromium.launchPersistentContext(profile, featuresAsShipped({ ...options, args }));
    const browser = context.browser();
    if (browser === null) throw new Error('chromium: a persistent context without a browser');
    // Synchronously: the worker may exit right after the browser closes, before any async removal ran.
    browser.on('disconnected', () => removeQuietly(profile));
    try {
      await assertFeaturesAsShipped(browser);
    } catch (error) {
      await browser.close();
      throw error;
    }
    return browser;
  } catch (error) {
    removeQuietly(profile);
    throw error;
  }
}

const chromiumSiteAccess = (cookiePolicy: CookiePolicy): SiteAccess => ({
  cookiePolicy,
  names: '--host-resolver-rules',
  tls: "the suite's CA pinned with --ignore-certificate-errors-spki-list",
});

// ---------------------------------------------------------------- Firefox

function firefoxSitePrefs(policy: CookiePolicy): Record<string, string | number | boolean> {
  const strict = policy.id === 'strict-etp';
  return {
    'network.dns.localDomains': SUITE_HOST_NAMES.join(','),
    'browser.contentblocking.category': strict ? 'strict' : 'standard',
    // 5: reject trackers and partition foreign cookies (Total Cookie Protection), in both modes.
    'network.cookie.cookieBehavior': 5,
    // Strict also blocks unpartitioned third-party cookies outright (Firefox 132+).
    'network.cookie.cookieBehavior.optInPartitioning': strict,
    'privacy.trackingprotection.enabled': strict,
  };
}

/** Firefox over BiDi has no per-certificate trust: certificate errors are ignored per context. */
const FIREFOX_CONTEXT_OPTIONS: BrowserContextOptions = { ignoreHTTPSErrors: true };

const firefoxSiteAccess = (cookiePolicy: CookiePolicy): SiteAccess => ({
  cookiePolicy,
  names: 'network.dns.localDomains',
  tls: 'certificate errors ignored per context (ignoreHTTPSErrors)',
});

// ---------------------------------------------------------------- WebKitGTK MiniBrowser

/** MiniBrowser's switches, with a name proxy of its own that closes with `close()`. */
async function webKitGtkSiteArgs(policy: CookiePolicy): Promise<{ args: string[]; access: SiteAccess; close(): Promise<void> }> {
  const proxy = await startNameProxy();
  const itp = policy.id === 'itp';
  return {
    args: [
      `--proxy=${proxy.url}`,
      // The same-site topology's plain http on loopback stays direct.
      `--ignore-host=${NAMES_ADDRESS}`,
      '--ignore-host=localhost',
      '--ignore-tls-errors',
      `--cookies-policy=${itp ? 'no-third-party' : 'always'}`,
      ...(itp ? ['--enable-itp'] : []),
    ],
    access: {
      cookiePolicy: policy,
      names: `a name proxy (${proxy.url}) through --proxy`,
      tls: 'certificate errors ignored browser-wide (--ignore-tls-errors: MiniBrowser has nothing narrower)',
    },
    close: () => proxy.close(),
  };
}

// ---------------------------------------------------------------- launching with it

/**
 * Launches a browser Playwright drives, told the names, the CA and the cookie policy. Playwright's
 * own WebKit gets none of it (it has no cookie-policy switch the suite could verify): its info
 * carries no siteAccess, and the topology fixture refuses it in one line.
 */
export async function launchWithSiteAccess(
  name: EngineName,
  options: LaunchOptions,
  policy: CookiePolicy,
): Promise<{ browser: Browser; contextOptions: BrowserContextOptions; siteAccess?: SiteAccess }> {
  if (name === 'chromium') {
    return { browser: await launchChromiumWithPolicy(options, policy), contextOptions: {}, siteAccess: chromiumSiteAccess(policy) };
  }
  if (name === 'firefox') {
    const browser = await firefox.launch({ ...options, firefoxUserPrefs: { ...options.firefoxUserPrefs, ...firefoxSitePrefs(policy) } });
    return { browser, contextOptions: FIREFOX_CONTEXT_OPTIONS, siteAccess: firefoxSiteAccess(policy) };
  }
  return { browser: await webkit.launch(options), contextOptions: {} };
}

/** A WebKitGTK engine launched with the site switches; its name proxy closes with it. */
export async function withWebKitGtkSiteAccess(policy: CookiePolicy, launch: (extraArgs: string[]) => Promise<Engine>): Promise<Engine> {
  const site = await webKitGtkSiteArgs(policy);
  let engine: Engine;
  try {
    engine = await launch(site.args);
  } catch (error) {
    await site.close();
    throw error;
  }
  return {
    info: { ...engine.info, siteAccess: site.access },
    newPage: () => engine.newPage(),
    close: async () => {
      try {
        await engine.close();
      } finally {
        await site.close();
      }
    },
  };
}
