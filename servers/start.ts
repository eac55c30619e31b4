/**
 * Starts the whole set: the Okta-like API and the website on two origins, one trusted by
 * the API and one not. Used per worker by the test fixtures and by `npm run serve`.
 */
import { createOktaApi, type ErrorResponseCors, type OktaApi } from './okta-api/app.js';
import { MemoryTrustedOriginStore } from './okta-api/trusted-origins/store.js';
import { createWebsite } from './website/app.js';
import { HOST, listen, type Listening } from './listen.js';
import getPort from 'get-port';

export interface ServerPorts {
  api?: number;
  trustedSite?: number;
  untrustedSite?: number;
}

export interface StartOptions {
  ports?: ServerPorts;
  errorResponseCors?: ErrorResponseCors;
}

export interface RunningServers {
  api: OktaApi & { url: string };
  /** The website on an origin the API trusts for CORS. */
  trustedSiteUrl: string;
  /** The same website on an origin the API does not trust. */
  untrustedSiteUrl: string;
  trustedOrigins: MemoryTrustedOriginStore;
  close(): Promise<void>;
}

export async function startServers(options: StartOptions = {}): Promise<RunningServers> {
  const ports = options.ports ?? {};
  // The trusted origin must be known before the API starts, so pick its port first.
  const trustedSitePort = ports.trustedSite ?? (await getPort({ host: HOST }));
  const trustedSiteOrigin = `http://${HOST}:${trustedSitePort}`;
  const trustedOrigins = new MemoryTrustedOriginStore([
    { name: 'CORS test website', origin: trustedSiteOrigin, scopes: ['CORS', 'REDIRECT'] },
  ]);
  const api = createOktaApi({
    trustedOrigins,
    ...(options.errorResponseCors ? { errorResponseCors: options.errorResponseCors } : {}),
  });
  const website = createWebsite();

  const started: Listening[] = [];
  try {
    const apiListening = await listen(api.app, ports.api);
    started.push(apiListening);
    const trusted = await listen(website, trustedSitePort);
    started.push(trusted);
    const untrusted = await listen(website, ports.untrustedSite);
    started.push(untrusted);
    return {
      api: { ...api, url: apiListening.url },
      trustedSiteUrl: trusted.url,
      untrustedSiteUrl: untrusted.url,
      trustedOrigins,
      close: async () => {
        await Promise.all(started.map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw error;
  }
}
