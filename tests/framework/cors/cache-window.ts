/**
 * A step that counts on a preflight-cache entry (Max-Age absent: the Fetch standard's 5 s) is
 * only a hit while the entry lives. On a slow machine the steps may drift apart; the case must
 * then expect what the standard says, a new preflight, instead of failing on the machine's
 * speed. The time is measured from the lab's exchange log: the case's latest preflight to the
 * step's first exchange.
 */
import type { Exchange } from '../../../servers/okta-api/exchange-log.js';
import type { StepExpectation } from '../../scenarios/matrix-cases.js';

/**
 * The log records an exchange when its answer is sent: both ends may be off by one local round
 * trip. Within this margin of the window the step cannot tell a hit from an expiry.
 */
const MARGIN_MS = 250;

/** Milliseconds from the latest preflight before the step to the step's first exchange. */
export function sincePreflightMs(before: Exchange[], step: Exchange[]): number | undefined {
  const preflight = before.filter((e) => e.preflight).at(-1);
  const first = step[0];
  return preflight === undefined || first === undefined ? undefined : Date.parse(first.at) - Date.parse(preflight.at);
}

export type CacheWindowVerdict =
  | { kind: 'within' }
  | { kind: 'expired'; expected: StepExpectation; note: string }
  | { kind: 'undecidable'; note: string };

/** What a step that expects a cache hit within `windowMs` must expect after `elapsedMs`. */
export function judgeCacheWindow(expected: StepExpectation, windowMs: number, elapsedMs: number | undefined): CacheWindowVerdict {
  const countsOnAHit = expected.server.preflight === false || expected.server.preflight === 'cache-may-miss';
  if (!countsOnAHit || elapsedMs === undefined || elapsedMs < windowMs - MARGIN_MS) return { kind: 'within' };
  const measured = `${elapsedMs} ms passed since the case's latest preflight (cache window ${windowMs} ms)`;
  if (elapsedMs <= windowMs + MARGIN_MS) {
    return { kind: 'undecidable', note: `${measured}: too close to the window to tell a cache hit from an expiry; the machine was too slow for this case` };
  }
  return {
    kind: 'expired',
    expected: { ...expected, server: { ...expected.server, preflight: {} } },
    note: `${measured}: the entry has expired, so a new preflight is expected`,
  };
}
