/**
 * The Okta-like API: `/api/v1/users/me` behind the session cookie, CORS decided by the
 * Trusted Origins store, Okta's error bodies and request ids on every response.
 */
import cookieParser from 'cookie-parser';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import { corsPolicy, stripCorsHeaders } from './cors-policy.js';
import { ExchangeLog } from './exchange-log.js';
import { OktaErrors } from './okta-errors.js';
import { requestId } from './request-id.js';
import { SESSION_COOKIE, SessionStore } from './sessions.js';
import { signInRoutes } from './sign-in.js';
import type { TrustedOriginStore } from './trusted-origins/store.js';
import { defaultAccount, type UserAccount } from './users.js';

/**
 * How error responses of CORS endpoints treat CORS. Okta's docs disagree:
 * - 'with-cors' (default): the 403 carries the CORS headers for a trusted origin, so the page
 *   reads `errorSummary` (what the seed's jQuery sample expects);
 * - 'without-cors': error responses carry no CORS headers (a 2019 Okta docs change), so the
 *   page only sees a network error.
 */
export type ErrorResponseCors = 'with-cors' | 'without-cors';

export interface OktaApiOptions {
  trustedOrigins: TrustedOriginStore;
  errorResponseCors?: ErrorResponseCors;
  /** The org's user; defaults to the demo user. */
  account?: UserAccount;
  /** Extra routers mounted under /api/v1 before the not-found answer (admin API, CORS lab…). */
  extraApiRoutes?: Router[];
}

export interface OktaApi {
  app: Express;
  exchangeLog: ExchangeLog;
  account: UserAccount;
  sessions: SessionStore;
}

export function createOktaApi(options: OktaApiOptions): OktaApi {
  const errorResponseCors = options.errorResponseCors ?? 'with-cors';
  const account = options.account ?? defaultAccount('');
  const sessions = new SessionStore();
  const exchangeLog = new ExchangeLog();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(exchangeLog.middleware, requestId, cookieParser());
  app.use(signInRoutes(sessions, account));

  const usersMe = express.Router();
  usersMe.use('/api/v1/users/me', ...corsPolicy(options.trustedOrigins));
  usersMe.get('/api/v1/users/me', (req, res) => {
    const session = sessions.find(req.cookies?.[SESSION_COOKIE] as string | undefined);
    if (session === undefined) {
      if (errorResponseCors === 'without-cors') stripCorsHeaders(res);
      OktaErrors.invalidSession(res);
      return;
    }
    const self = `${req.protocol}://${req.get('host') ?? ''}/api/v1/users/${account.user.id}`;
    res.json({ ...account.user, _links: { ...account.user._links, self: { href: self } } });
  });
  usersMe.all('/api/v1/users/me', (req, res) => OktaErrors.methodNotAllowed(res, req.method));
  app.use(usersMe);

  for (const router of options.extraApiRoutes ?? []) app.use(router);

  app.use('/api/v1', (_req, res) => OktaErrors.notFound(res));
  app.use((_req, res) => {
    res.status(404).type('text').send('Not found. The mock Okta org serves /login and /api/v1/…\n');
  });

  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const failure = error as { type?: string; status?: number; message?: string };
    if (failure.type === 'entity.parse.failed') {
      OktaErrors.malformedBody(res, `The body is not valid JSON: ${failure.message ?? 'parse error'}`);
      return;
    }
    if (failure.type === 'entity.too.large') {
      OktaErrors.malformedBody(res, 'The body is too large.');
      return;
    }
    console.error('okta-api: unexpected error:', error);
    res.status(500).json({ errorCode: 'E0000009', errorSummary: 'Internal Server Error', errorCauses: [] });
  };
  app.use(onError);

  return { app, exchangeLog, account, sessions };
}
