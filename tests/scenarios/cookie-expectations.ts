/**
 * Whether an engine, under a third-party-cookie policy, sends the org's session cookie
 * (`sid`: Secure; SameSite=None; HttpOnly) with a credentialed CORS call from a page on the
 * org's own site or on another site. Written from each engine's documented behaviour and
 * confirmed by measurement on this machine (README, "Will it work across sites?"); the
 * scenarios compare what the API received against this table.
 */
import type { SiteRelation } from '../../servers/topology/topologies.js';
import type { CookiePolicyId } from '../framework/engines/cookie-policy.js';

const SENDS_ORG_COOKIE: Record<CookiePolicyId, Record<SiteRelation, boolean>> = {
  // Chrome with third-party cookies allowed: a SameSite=None; Secure cookie goes cross-site.
  'third-party-allowed': { 'same-site': true, 'cross-site': true },
  // "Block third-party cookies" (Incognito's default): cross-site requests carry no cookies.
  'third-party-blocked': { 'same-site': true, 'cross-site': false },
  // Total Cookie Protection: a cross-site request reads the jar partitioned by the top-level
  // site (the app's), which holds no org cookie; the one set on the org's page is not used.
  'standard-etp': { 'same-site': true, 'cross-site': false },
  // Strict: as standard, and unpartitioned third-party cookies are blocked outright.
  'strict-etp': { 'same-site': true, 'cross-site': false },
  // WebKit's full third-party cookie blocking (ITP, 2020): no cookies on cross-site subresources.
  itp: { 'same-site': true, 'cross-site': false },
  // ITP off and cookies always accepted: nothing stops a SameSite=None cookie cross-site.
  'itp-off': { 'same-site': true, 'cross-site': true },
};

/** Same-site pages always get the cookie; an engine with no policy set runs only same-site. */
export function sendsOrgCookie(policy: CookiePolicyId | undefined, relation: SiteRelation): boolean {
  return policy === undefined ? relation === 'same-site' : SENDS_ORG_COOKIE[policy][relation];
}
