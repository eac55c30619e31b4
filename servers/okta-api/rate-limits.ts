/**
 * Okta's rate limits as a client sees them: every API answer (`/api/v1/…`, `/oauth2/…`) carries
 * `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` (epoch seconds), counted per endpoint in
 * one-minute windows; past the limit Okta answers 429 `E0000047`. Preflights are not counted.
 * The default limit is high enough that a test run never reaches it; a low one is an option.
 */
import type { Request, RequestHandler, Response } from 'express';
import { sendOktaError } from './okta-errors.js';

const DEFAULT_RATE_LIMIT = 10_000;
const WINDOW_MS = 60_000;
const COUNTED = /^\/(api\/v1|oauth2)\//;
/** Ids in a path (`tos…`, `00u…`, `0oa…`) share their endpoint's bucket. */
const ID_SEGMENT = /\/(tos|00u|0oa)[\w-]+/g;

export interface RateLimitOptions {
  /** Requests per minute per endpoint. */
  limit?: number;
  now: () => number;
  /**
   * The CORS answer a refused call still gets where the endpoint supports CORS, so a page on
   * a trusted origin reads the 429 (the same handlers the endpoint itself runs).
   */
  corsFor: (req: Request) => RequestHandler[];
}

/** Runs middleware in order, as Express would, then `done`. */
function runChain(handlers: readonly RequestHandler[], req: Request, res: Response, done: () => void): void {
  const [first, ...rest] = handlers;
  if (first === undefined) return done();
  void first(req, res, () => runChain(rest, req, res, done));
}

export function rateLimits(options: RateLimitOptions): RequestHandler {
  const limit = options.limit ?? DEFAULT_RATE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`the rate limit must be a whole number of requests a minute, 1 or more, got ${limit}`);
  let windowStart = 0;
  let counts = new Map<string, number>();

  return (req, res, next) => {
    if (!COUNTED.test(req.path) || req.method === 'OPTIONS') return next();
    const now = options.now();
    if (now - windowStart >= WINDOW_MS) {
      windowStart = now - (now % WINDOW_MS);
      counts = new Map();
    }
    const bucket = req.path.replace(ID_SEGMENT, '/{id}');
    const used = (counts.get(bucket) ?? 0) + 1;
    counts.set(bucket, used);
    res.set({
      'X-Rate-Limit-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(Math.max(0, limit - used)),
      'X-Rate-Limit-Reset': String(Math.ceil((windowStart + WINDOW_MS) / 1000)),
    });
    if (used <= limit) return next();
    runChain(options.corsFor(req), req, res, () =>
      sendOktaError(res, 429, 'E0000047', 'API call exceeded rate limit due to too many requests.'),
    );
  };
}
