/**
 * Starts the whole set: the Okta-like API and the website on two origins, one trusted by
 * the API and one not. Used per worker by the test fixtures and by `npm run serve`.
 */
import { createOktaApi, type ErrorResponseCors, type OktaApi } from './okta-api/app.js';
import { FileTrustedOriginStore, importTrustedOriginsFile } from './okta-api/trusted-origins/file-store.js';
import { MemoryTrustedOriginStore } from './okta-api/trusted-origins/store.js';
import type { LabSites } from './okta-api/cors-lab/router.js';
import { createWebsite } from './website/app.js';
import { HOST, listen, type ListenOptions, type Listening } from './listen.js';
import { localTls } from './topology/tls.js';
import { TOPOLOGIES, type Topology, type TopologyName } from './topology/topologies.js';
import getPort from 'get-port';

export interface ServerPorts {
  api?: number;
  trustedSite?: number;
  untrustedSite?: number;
}

export interface StartOptions {
  ports?: ServerPorts;
  /** Where the org and the websites live (servers/topology/topologies.ts); 'same-site' by default. */
  topology?: TopologyName;
  errorResponseCors?: ErrorResponseCors;
  /** Serve the CORS lab (the matrix's misconfiguration lab); off by default. */
  corsLab?: boolean;
  /** Requests a minute per API endpoint before Okta's 429 E0000047; high by default. */
  rateLimit?: number;
  /** The admin API's token; random per start when left out. */
  adminToken?: string;
  /** A JSON list of trusted origins read once at start and never written. */
  trustedOriginsSeedFile?: string;
  /** The store's own file: read at start if it exists, rewritten (atomically) on every change. */
  trustedOriginsFile?: string;
}

export interface RunningServers {
  topology: Topology;
  /** `api.adminToken` is what admin calls send as `Authorization: SSWS <token>`. */
  api: OktaApi & { url: string };
  /** The website on an origin the API trusts for CORS. */
  trustedSiteUrl: string;
  /** The same website on an origin the API does not trust. */
  untrustedSiteUrl: string;
  trustedOrigins: MemoryTrustedOriginStore;
  /**
   * Listens the website on one more free port and returns its origin, which nothing trusts
   * yet: a test gets an origin of its own. Closed with the rest.
   */
  openSite(): Promise<string>;
  close(): Promise<void>;
}

function openStore(options: StartOptions): MemoryTrustedOriginStore {
  const { trustedOriginsFile, trustedOriginsSeedFile } = options;
  if (trustedOriginsFile !== undefined && trustedOriginsSeedFile !== undefined) {
    throw new Error('give either a trusted origins file (kept) or a seed file (read once), not both');
  }
  if (trustedOriginsFile !== undefined) return new FileTrustedOriginStore(trustedOriginsFile);
  const store = new MemoryTrustedOriginStore();
  if (trustedOriginsSeedFile !== undefined) importTrustedOriginsFile(store, trustedOriginsSeedFile);
  return store;
}

/** How each server listens in a topology: its host name in URLs, and TLS where it is https. */
async function listenOptions(topology: Topology): Promise<Record<keyof Topology['hosts'], ListenOptions>> {
  const tls = topology.scheme === 'https' ? (await localTls()).server : undefined;
  const as = (urlHost: string): ListenOptions => ({ urlHost, ...(tls ? { tls } : {}) });
  const { org, trustedSite, untrustedSite } = topology.hosts;
  return { org: as(org), trustedSite: as(trustedSite), untrustedSite: as(untrustedSite) };
}

/** The API and the website app (both listened later), and the sites the CORS lab may redirect to, filled in as they listen. */
function createApps(options: StartOptions, trustedOrigins: MemoryTrustedOriginStore, trustedSiteOrigin: string) {
  const labSites: LabSites = { page: trustedSiteOrigin };
  const api = createOktaApi({
    trustedOrigins,
    ...(options.errorResponseCors ? { errorResponseCors: options.errorResponseCors } : {}),
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
    ...(options.corsLab === true ? { corsLab: labSites } : {}),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    // The SDK page signs in by redirect to /login/callback; signing out returns to the page.
    oidcApp: {
      redirectUris: [`${trustedSiteOrigin}/login/callback`, `${trustedSiteOrigin}/`],
      postLogoutRedirectUris: [`${trustedSiteOrigin}/sdk.html`, `${trustedSiteOrigin}/`],
    },
  });
  const website = createWebsite(options.corsLab === true ? { corsLab: { sites: labSites, exchangeLog: api.exchangeLog.middleware } } : {});
  return { api, website, labSites };
}

export async function startServers(options: StartOptions = {}): Promise<RunningServers> {
  const ports = options.ports ?? {};
  const topology = TOPOLOGIES[options.topology ?? 'same-site'];
  const listening = await listenOptions(topology);
  // The trusted origin must be known before the API starts, so pick its port first.
  const trustedSitePort = ports.trustedSite ?? (await getPort({ host: HOST }));
  const trustedSiteOrigin = `${topology.scheme}://${topology.hosts.trustedSite}:${trustedSitePort}`;
  const trustedOrigins = openStore(options);
  // Named after its origin: a kept file may already hold the site on another port.
  trustedOrigins.addIfAbsent({
    name: `CORS test website (${trustedSiteOrigin})`,
    origin: trustedSiteOrigin,
    scopes: ['CORS', 'REDIRECT'],
  });
  const { api, website, labSites } = createApps(options, trustedOrigins, trustedSiteOrigin);

  const started: Listening[] = [];
  let closed = false;
  const close = async (): Promise<void> => {
    closed = true;
    await Promise.all(started.map((s) => s.close()));
  };
  try {
    const apiListening = await listen(api.app, ports.api, listening.org);
    started.push(apiListening);
    const trusted = await listen(website, trustedSitePort, listening.trustedSite);
    started.push(trusted);
    const untrusted = await listen(website, ports.untrustedSite, listening.untrustedSite);
    started.push(untrusted);
    Object.assign(labSites, { api: apiListening.url, other: untrusted.url });
    return {
      topology,
      api: { ...api, url: apiListening.url },
      trustedSiteUrl: trusted.url,
      untrustedSiteUrl: untrusted.url,
      trustedOrigins,
      openSite: async () => {
        if (closed) throw new Error('openSite: the servers are closed');
        const site = await listen(website, undefined, listening.trustedSite);
        started.push(site);
        return site.url;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
