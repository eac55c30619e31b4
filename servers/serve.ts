/**
 * `npm run serve`: both servers for a person to try the CORS test page in their own browser.
 * Ports: flags --api-port, --site-port, --untrusted-site-port, or the environment variables
 * API_PORT, SITE_PORT, UNTRUSTED_SITE_PORT; free ports otherwise.
 * Trusted origins: --trusted-origins-file (TRUSTED_ORIGINS_FILE) keeps them in a JSON file
 * across restarts; --trusted-origins-seed (TRUSTED_ORIGINS_SEED) only reads one at start.
 * The admin API token is random per start unless OKTA_API_TOKEN is set (an environment
 * variable only, so it never shows in the process list).
 * --topology NAME (TOPOLOGY): same-site (default), cross-site or custom-domain (servers/topology/).
 */
import { parseArgs } from 'node:util';
import { startServers, type ServerPorts } from './start.js';
import { browserHints, writeCaCertificate } from './topology/browser-hints.js';
import { localTls } from './topology/tls.js';
import { topologyNamed, TOPOLOGY_NAMES } from './topology/topologies.js';

function fail(message: string): never {
  console.error(`serve: ${message}`);
  process.exit(2);
}

function port(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) fail(`${name} must be a port number from 1 to 65535, got '${value}'`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      'api-port': { type: 'string' },
      'site-port': { type: 'string' },
      'untrusted-site-port': { type: 'string' },
      'errors-without-cors': { type: 'boolean', default: false },
      'cors-lab': { type: 'boolean', default: false },
      'rate-limit': { type: 'string' },
      'trusted-origins-file': { type: 'string' },
      'trusted-origins-seed': { type: 'string' },
      topology: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  fail(`${(error as Error).message}; see npm run serve -- --help`);
}
if (args.help) {
  console.log(`Usage: npm run serve -- [--api-port N] [--site-port N] [--untrusted-site-port N] [--errors-without-cors] [--cors-lab] [--rate-limit N]
                        [--trusted-origins-file PATH | --trusted-origins-seed PATH] [--topology NAME]
  Ports default to API_PORT, SITE_PORT, UNTRUSTED_SITE_PORT, then to free ports.
  --errors-without-cors         the API's 403 carries no CORS headers (Okta's other documented behaviour)
  --cors-lab                    also serve the matrix's CORS lab at /cors-lab (deliberately misconfigured answers)
  --rate-limit N                N requests a minute per API endpoint, then Okta's 429 E0000047 (RATE_LIMIT)
  --trusted-origins-file PATH   keep the Trusted Origins in this JSON file across restarts (TRUSTED_ORIGINS_FILE)
  --trusted-origins-seed PATH   start with the Trusted Origins in this JSON file, never write it (TRUSTED_ORIGINS_SEED)
  --topology NAME               ${TOPOLOGY_NAMES.join(' | ')} (TOPOLOGY; default same-site): the org and the
                                sites under https host names on other sites or a custom domain
  The admin API token is printed; set OKTA_API_TOKEN to choose it.`);
  process.exit(0);
}

const ports: ServerPorts = {};
const api = port('--api-port', args['api-port'] ?? process.env.API_PORT);
const site = port('--site-port', args['site-port'] ?? process.env.SITE_PORT);
const untrusted = port('--untrusted-site-port', args['untrusted-site-port'] ?? process.env.UNTRUSTED_SITE_PORT);
if (api !== undefined) ports.api = api;
if (site !== undefined) ports.trustedSite = site;
if (untrusted !== undefined) ports.untrustedSite = untrusted;

const rateLimitText = args['rate-limit'] ?? process.env.RATE_LIMIT;
const rateLimit = rateLimitText === undefined || rateLimitText === '' ? undefined : Number(rateLimitText);
if (rateLimit !== undefined && (!Number.isInteger(rateLimit) || rateLimit < 1)) {
  fail(`--rate-limit must be a whole number of requests a minute, 1 or more, got '${rateLimitText}'`);
}

const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);
const trustedOriginsFile = nonEmpty(args['trusted-origins-file'] ?? process.env.TRUSTED_ORIGINS_FILE);
const trustedOriginsSeedFile = nonEmpty(args['trusted-origins-seed'] ?? process.env.TRUSTED_ORIGINS_SEED);
const adminToken = nonEmpty(process.env.OKTA_API_TOKEN);

let topology;
try {
  topology = topologyNamed(nonEmpty(args.topology ?? process.env.TOPOLOGY) ?? 'same-site');
} catch (error) {
  fail((error as Error).message);
}

const servers = await startServers({
  ports,
  topology: topology.name,
  ...(args['errors-without-cors'] ? { errorResponseCors: 'without-cors' as const } : {}),
  corsLab: args['cors-lab'],
  ...(rateLimit === undefined ? {} : { rateLimit }),
  ...(trustedOriginsFile === undefined ? {} : { trustedOriginsFile }),
  ...(trustedOriginsSeedFile === undefined ? {} : { trustedOriginsSeedFile }),
  ...(adminToken === undefined ? {} : { adminToken }),
}).catch((error: Error) => fail(error.message));

const { login } = servers.api.account.user.profile;
console.log(`Mock Okta org (API):     ${servers.api.url}
  sign in:                ${servers.api.url}/login   (${login} / ${servers.api.account.password})
Website, trusted origin:  ${servers.trustedSiteUrl}/?org=${encodeURIComponent(servers.api.url)}
Website, untrusted:       ${servers.untrustedSiteUrl}/?org=${encodeURIComponent(servers.api.url)}
SDK page (okta-auth-js):  ${servers.trustedSiteUrl}/sdk.html?org=${encodeURIComponent(servers.api.url)}&clientId=${servers.api.oidcApp.clientId}
OIDC client id:           ${servers.api.oidcApp.clientId}   (issuer ${servers.api.url}/oauth2/default)
Admin API token:          ${servers.api.adminToken}   (Authorization: SSWS <token>)
Trusted Origins:          ${servers.api.url}/api/v1/trustedOrigins   (${
  trustedOriginsFile !== undefined
    ? `kept in ${trustedOriginsFile}`
    : trustedOriginsSeedFile !== undefined
      ? `seeded from ${trustedOriginsSeedFile}, kept in memory`
      : 'kept in memory'
})`);

// Named topologies: the CA for a person's browser, and how to open the names.
const tls = topology.scheme === 'https' ? await localTls() : undefined;
const caFile = tls ? await writeCaCertificate(tls).catch((error: Error) => fail(`cannot write the CA certificate: ${error.message}`)) : undefined;
if (tls && caFile) {
  console.log(`\nTopology ${topology.name}: ${topology.summary}.\nCA certificate:           ${caFile.path}\n${browserHints(tls, caFile.path, `${servers.trustedSiteUrl}/?org=${encodeURIComponent(servers.api.url)}`)}`);
}
console.log('Press Ctrl-C to stop.');

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  Promise.all([servers.close(), caFile?.remove()]).then(
    () => {
      console.log('Stopped.');
      process.exit(0);
    },
    (error: Error) => fail(`stopping failed: ${error.message}`),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
