/**
 * The sign-in calls the tests make from Node (authn, sessionCookieRedirect), straight through
 * node:http(s). Playwright's request client would open a request context per call (~12 ms each,
 * two calls a signed-in test) and takes neither a resolver nor a CA, which an org under the
 * suite's host names (servers/topology/), known to no DNS, needs.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/** The suite's host names go to `address`; `ca`, the suite's own CA, is the only one accepted. */
export interface SuiteNamesRoute {
  names: readonly string[];
  address: string;
  ca: string;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  /** Each Set-Cookie line. */
  setCookies: string[];
  text: string;
}

const TIMEOUT_MS = 10_000;

/** Resolves only the suite's host names, to the route's address. */
function lookupAlong(route: SuiteNamesRoute): LookupFunction {
  return (host, options, callback) => {
    if (!route.names.includes(host.toLowerCase())) {
      callback(Object.assign(new Error(`${host} is not one of the suite's host names`), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    if (options.all === true) callback(null, [{ address: route.address, family: 4 }]);
    else callback(null, route.address, 4);
  };
}

/**
 * One call, JSON in and accepted; no redirect is followed. Along `route` when given (the suite's
 * names and its CA only), else as the URL says with the system's DNS and CAs.
 */
export function callFromNode(route: SuiteNamesRoute | undefined, method: 'GET' | 'POST', url: string, body?: object): Promise<RawAnswer> {
  const json = body === undefined ? undefined : JSON.stringify(body);
  const headers = { accept: 'application/json', ...(json === undefined ? {} : { 'content-type': 'application/json' }) };
  const options = { method, headers, timeout: TIMEOUT_MS, ...(route === undefined ? {} : { ca: route.ca, lookup: lookupAlong(route) }) };
  const send = new URL(url).protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const call = send(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: flatHeaders(response.headers),
          setCookies: response.headers['set-cookie'] ?? [],
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    call.on('timeout', () => call.destroy(Object.assign(new Error('no answer'), { name: 'TimeoutError' })));
    call.on('error', reject);
    call.end(json);
  });
}

const flatHeaders = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
