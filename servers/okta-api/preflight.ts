/** The one test for "this request is a CORS preflight", shared by the API, the lab and the exchange log. */
import type { IncomingMessage } from 'node:http';

/** A CORS preflight is an OPTIONS request that names the method it asks for (Fetch standard, CORS-preflight fetch). */
export function isPreflight(req: Pick<IncomingMessage, 'method' | 'headers'>): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}
