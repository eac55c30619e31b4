/**
 * Where the org and the websites live. `same-site` is the suite's fast default: every origin is
 * http://127.0.0.1:<port>, and ports do not make another site, so the org's cookie is
 * first-party everywhere. The other two put each server under a host name over HTTPS, as a real
 * Okta org and the apps that call it are: then each engine's third-party-cookie policy decides
 * whether a CORS call carries the session.
 * Every name resolves to 127.0.0.1 only inside the engines the suite starts (see the README,
 * "Will it work across sites?"); ports stay in the URLs.
 */

export const TOPOLOGY_NAMES = ['same-site', 'cross-site', 'custom-domain'] as const;
export type TopologyName = (typeof TOPOLOGY_NAMES)[number];

/** How a page's site relates to the org's: what a third-party-cookie policy looks at. */
export type SiteRelation = 'same-site' | 'cross-site';

export interface Topology {
  name: TopologyName;
  scheme: 'http' | 'https';
  /** Hosts of the org (the API), the website the org trusts, and the website it does not. */
  hosts: { org: string; trustedSite: string; untrustedSite: string };
  /** Whether each website is on the org's site (same registrable domain and scheme). */
  relation: { trustedSite: SiteRelation; untrustedSite: SiteRelation };
  summary: string;
}

/** A topology as written below; its name is its key. */
type TopologyEntry = Omit<Topology, 'name'>;

const ENTRIES: Record<TopologyName, TopologyEntry> = {
  'same-site': {
    scheme: 'http',
    hosts: { org: '127.0.0.1', trustedSite: '127.0.0.1', untrustedSite: '127.0.0.1' },
    relation: { trustedSite: 'same-site', untrustedSite: 'same-site' },
    summary: 'everything on http://127.0.0.1 (ports differ, the site does not)',
  },
  'cross-site': {
    scheme: 'https',
    hosts: { org: 'acme.okta.test', trustedSite: 'app.example.test', untrustedSite: 'evil.example.net' },
    relation: { trustedSite: 'cross-site', untrustedSite: 'cross-site' },
    summary: 'the org on its own site (as acme.okta.com is), the app and an untrusted site on two others',
  },
  'custom-domain': {
    scheme: 'https',
    hosts: { org: 'login.example.test', trustedSite: 'app.example.test', untrustedSite: 'evil.example.net' },
    relation: { trustedSite: 'same-site', untrustedSite: 'cross-site' },
    summary: "the org on a custom domain under the app's own site (Okta's remedy)",
  },
};

// fromEntries loses the keys' type; TOPOLOGY_NAMES maps every name, so the record is whole.
export const TOPOLOGIES = Object.fromEntries(
  TOPOLOGY_NAMES.map((name): [TopologyName, Topology] => [name, { name, ...ENTRIES[name] }]),
) as Readonly<Record<TopologyName, Topology>>;

/** Every host name a topology uses: what the engines map to 127.0.0.1 and the certificate covers. */
export const SUITE_HOST_NAMES: readonly string[] = [
  ...new Set(
    Object.values(TOPOLOGIES)
      .filter((t) => t.scheme === 'https')
      .flatMap((t) => Object.values(t.hosts)),
  ),
];

/** Where the names point: the servers listen on loopback only. */
export const NAMES_ADDRESS = '127.0.0.1';

/** Chromium's --host-resolver-rules value mapping every suite name to NAMES_ADDRESS (the suite's and a person's). */
export const hostResolverRules = (): string => SUITE_HOST_NAMES.map((name) => `MAP ${name} ${NAMES_ADDRESS}`).join(', ');

function isTopologyName(value: string): value is TopologyName {
  return (TOPOLOGY_NAMES as readonly string[]).includes(value);
}

/** The topology called `name`, or an error in one line listing the ones that exist. */
export function topologyNamed(name: string): Topology {
  if (!isTopologyName(name)) {
    throw new Error(`unknown topology '${name}': choose one of ${TOPOLOGY_NAMES.join(', ')}`);
  }
  return TOPOLOGIES[name];
}
