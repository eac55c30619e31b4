/**
 * Each engine's third-party-cookie policy, chosen explicitly at launch (never left to what
 * automation happens to default to: Debian's Chromium 156 under Playwright blocks third-party
 * cookies unless told otherwise, measured). `default` is what the engine's users get out of the
 * box; `variant` is the other setting a user can pick. CORS_COOKIE_POLICY=variant runs the
 * variants; the default run uses the defaults.
 */
import type { EngineName } from './engine.js';

const COOKIE_POLICY_ENV = 'CORS_COOKIE_POLICY';
const COOKIE_POLICY_CHOICES = ['default', 'variant'] as const;
export type CookiePolicyChoice = (typeof COOKIE_POLICY_CHOICES)[number];

export type CookiePolicyId =
  | 'third-party-allowed'
  | 'third-party-blocked'
  | 'standard-etp'
  | 'strict-etp'
  | 'itp'
  | 'itp-off';

export interface CookiePolicy {
  id: CookiePolicyId;
  /** One line for reports: what a user would call it, and how it is set. */
  label: string;
}

export const COOKIE_POLICIES: Record<EngineName, Record<CookiePolicyChoice, CookiePolicy>> = {
  chromium: {
    default: { id: 'third-party-allowed', label: "third-party cookies allowed (Chrome's default; profile cookie_controls_mode 0)" },
    variant: { id: 'third-party-blocked', label: 'third-party cookies blocked (as in Incognito; profile cookie_controls_mode 1)' },
  },
  firefox: {
    default: {
      id: 'standard-etp',
      label: 'Enhanced Tracking Protection standard: Total Cookie Protection (network.cookie.cookieBehavior 5)',
    },
    variant: {
      id: 'strict-etp',
      label: 'Enhanced Tracking Protection strict (cookieBehavior 5, optInPartitioning: unpartitioned third-party cookies blocked)',
    },
  },
  webkit: {
    default: { id: 'itp', label: 'Safari-like: ITP on, no third-party cookies (--cookies-policy=no-third-party --enable-itp)' },
    variant: { id: 'itp-off', label: 'ITP off, cookies always accepted (--cookies-policy=always)' },
  },
};

export function cookiePolicyChoice(value = process.env[COOKIE_POLICY_ENV]): CookiePolicyChoice {
  if (value === undefined || value === '') return 'default';
  if ((COOKIE_POLICY_CHOICES as readonly string[]).includes(value)) return value as CookiePolicyChoice;
  throw new Error(`${COOKIE_POLICY_ENV} must be 'default' or 'variant', got '${value}'`);
}

export function cookiePolicyFor(engine: EngineName, choice: CookiePolicyChoice = cookiePolicyChoice()): CookiePolicy {
  return COOKIE_POLICIES[engine][choice];
}
