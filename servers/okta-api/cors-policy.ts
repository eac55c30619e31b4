/**
 * CORS for the API endpoints that support it, decided by the Trusted Origins store.
 *
 * Built on the `cors` package's dynamic origin option. Two things it does not do on its own:
 * - `Vary: Origin` on refused origins (when the origin callback says no, `cors` skips the
 *   response entirely), so caches never serve one origin's answer to another;
 * - answering a refused preflight: we end it here with no CORS headers instead of letting it
 *   fall through to the routes.
 */
import cors from 'cors';
import type { RequestHandler, Response } from 'express';
import { isPreflight } from './preflight.js';
import type { TrustedOriginStore } from './trusted-origins/store.js';

/** Okta's own list (see Okta's responses): the page may read these. */
export const OKTA_EXPOSED_HEADERS = [
  'Date',
  'Link',
  'X-Okta-Edge-Log',
  'X-Okta-Request-Id',
  'X-Rate-Limit-Limit',
  'X-Rate-Limit-Remaining',
  'X-Rate-Limit-Reset',
];

const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'];
/**
 * What okta-auth-js can send: `X-Device-Fingerprint` (signInWithCredentials with
 * `sendFingerprint`) and `DPoP` (token and resource calls with `dpop: true`) besides the rest.
 */
export const CORS_ALLOWED_HEADERS = [
  'Accept',
  'Authorization',
  'Content-Type',
  'DPoP',
  'X-Device-Fingerprint',
  'X-Okta-User-Agent-Extended',
  'X-Requested-With',
];

export function corsPolicy(store: TrustedOriginStore): RequestHandler[] {
  const varyOnOrigin: RequestHandler = (_req, res, next) => {
    res.vary('Origin');
    next();
  };
  const decide = cors({
    // Answer with the stored origin (never the request's own value) or refuse.
    origin: (requestOrigin, callback) =>
      callback(null, requestOrigin === undefined ? false : (store.corsOriginFor(requestOrigin) ?? false)),
    credentials: true,
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: OKTA_EXPOSED_HEADERS,
    maxAge: 3600,
    optionsSuccessStatus: 204,
  });
  const endRefusedPreflight: RequestHandler = (req, res, next) => {
    if (isPreflight(req)) {
      res.status(204).end();
      return;
    }
    next();
  };
  return [varyOnOrigin, decide, endRefusedPreflight];
}

/** For Okta's documented variant where error responses come without CORS headers. */
export function stripCorsHeaders(res: Response): void {
  for (const name of res.getHeaderNames()) {
    if (name.startsWith('access-control-')) res.removeHeader(name);
  }
}
