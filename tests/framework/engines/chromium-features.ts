/**
 * Playwright starts Chromium with a list of features turned off (playwright-core's
 * chromiumSwitches.ts). Three of them change what pages can do across origins, and Chrome ships
 * them on: third-party storage partitioning, the block on changing Origin on a redirect, and
 * following a preflighted cross-origin redirect without restarting the loader. Playwright turns
 * them off so that its request interception works; this suite intercepts nothing, so its Chromium
 * runs them as shipped. The other features on Playwright's list (media router, translate,
 * update and sign-in prompts…) stay off: none of them touches a request or a cookie.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, LaunchOptions } from '@playwright/test';

/** Features Chrome ships on that Playwright turns off; on here, as a user's Chrome has them. */
const FEATURES_AS_SHIPPED: ReadonlySet<string> = new Set([
  'ThirdPartyStoragePartitioning',
  'BlockOriginHeaderModificationOnRedirect',
  'AvoidCorsURLLoaderRestartOnRedirect',
]);

/** Playwright's list, in its order, as @playwright/test (pinned in package.json) passes it. */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'DialMediaRouteProvider',
  'GlobalMediaControls',
  'HttpsUpgrades',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'BlockOriginHeaderModificationOnRedirect',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'Translate',
  'AutoDeElevate',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

const switchOf = (features: readonly string[]): string => `--disable-features=${features.join(',')}`;

/** Launch options that replace Playwright's --disable-features with the same list minus FEATURES_AS_SHIPPED. */
export function featuresAsShipped(options: LaunchOptions): LaunchOptions {
  const kept = PLAYWRIGHT_DISABLED_FEATURES.filter((feature) => !FEATURES_AS_SHIPPED.has(feature));
  const ignored = Array.isArray(options.ignoreDefaultArgs) ? options.ignoreDefaultArgs : [];
  return {
    ...options,
    ignoreDefaultArgs: [...ignored, switchOf(PLAYWRIGHT_DISABLED_FEATURES)],
    args: [...(options.args ?? []), switchOf(kept)],
  };
}

/** The features a --disable-features switch of `commandLine` turns off. */
function disabledFeatures(commandLine: readonly string[]): string[] {
  return commandLine.filter((arg) => arg.startsWith('--disable-features=')).flatMap((arg) => arg.slice('--disable-features='.length).split(','));
}

/**
 * Throws one line when the running browser still has one of FEATURES_AS_SHIPPED off: Playwright's
 * list changed (another @playwright/test than the pinned one), so the switch above no longer
 * replaces it. Read from the browser process's own command line (Linux's /proc).
 */
export async function assertFeaturesAsShipped(browser: Browser): Promise<void> {
  const cdp = await browser.newBrowserCDPSession();
  let pid: number | undefined;
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    pid = processInfo.find((proc) => proc.type === 'browser')?.id;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
  // Elsewhere than Linux there is no /proc to read; the replacement was still asked for.
  const raw = pid === undefined ? undefined : await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (raw === undefined) return;
  const stillOff = disabledFeatures(raw.split('\0')).filter((feature) => FEATURES_AS_SHIPPED.has(feature));
  if (stillOff.length > 0) {
    throw new Error(
      `chromium: started with ${stillOff.join(', ')} off (Playwright's --disable-features changed); ` +
        'update PLAYWRIGHT_DISABLED_FEATURES in tests/framework/engines/chromium-features.ts, or keep @playwright/test at the version package.json pins',
    );
  }
}
