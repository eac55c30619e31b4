/**
 * The screenshot taken at the end of every test: the page's result panel when the page has
 * one the suite knows, else the viewport (a failed sign-in, a blank page: still worth seeing).
 */
import pTimeout from 'p-timeout';
import type { EnginePage } from '../engines/engine.js';

/**
 * Result panels of the suite's pages, first match wins: the probe page's box, then the CORS
 * test page's panel. Add a new page's panel here.
 */
const RESULT_PANELS = ['#probe-result', '#cors-test'] as const;

export interface PanelShot {
  /** The selector shot, or 'viewport'. */
  target: string;
  png: Buffer;
}

// A page stuck in a dialog (WebKit's inspector cannot answer one) must not hold up the test's end.
const SHOT_TIMEOUT_MS = 8_000;

async function shoot(page: EnginePage, panels: readonly string[]): Promise<PanelShot | undefined> {
  const present = await page
    .evaluate<string | null>(`(${JSON.stringify(panels)}).find((s) => document.querySelector(s) !== null) ?? null`)
    .catch(() => null);
  if (present !== null) {
    const png = await page.screenshot(present);
    if (png !== undefined) return { target: present, png };
  }
  const png = await page.screenshot();
  return png === undefined ? undefined : { target: 'viewport', png };
}

/** A PNG of the result panel (or the viewport); undefined where the engine cannot take one. */
export function screenshotResultPanel(page: EnginePage, panels: readonly string[] = RESULT_PANELS): Promise<PanelShot | undefined> {
  // No shot rather than a failed test: the shot illustrates the report, it checks nothing.
  return pTimeout(shoot(page, panels).catch(() => undefined), { milliseconds: SHOT_TIMEOUT_MS, message: false });
}
