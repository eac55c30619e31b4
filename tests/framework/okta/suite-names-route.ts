/**
 * How Node reaches an org under the suite's host names (servers/topology/), which no DNS knows,
 * for the sign-in calls the tests make from Node: Playwright's request client takes neither a
 * resolver nor a CA, so these go through node:https with both.
 */
import type { IncomingHttpHeaders } from 'node:http';
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

/** One HTTPS call along `route`, JSON in and accepted; no redirect is followed. */
export function httpsAlong(route: SuiteNamesRoute, method: 'GET' | 'POST', url: string, body?: object): Promise<RawAnswer> {
  const lookup: LookupFunction = (host, options, callback) => {
    if (!route.names.includes(host.toLowerCase())) {
      callback(Object.assign(new Error(`${host} is not one of the suite's host names`), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    if (options.all === true) callback(null, [{ address: route.address, family: 4 }]);
    else callback(null, route.address, 4);
  };
  const json = body === undefined ? undefined : JSON.stringify(body);
  const headers = { accept: 'application/json', ...(json === undefined ? {} : { 'content-type': 'application/json' }) };
  return new Promise((resolve, reject) => {
    const call = httpsRequest(url, { method, headers, ca: route.ca, lookup, timeout: TIMEOUT_MS }, (response) => {
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
