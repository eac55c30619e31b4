/**
 * The Okta-like API: `/api/v1/users/me` behind the session cookie, CORS decided by the
 * Trusted Origins store, Okta's error bodies and request ids on every response.
 */
import cookieParser from 'cookie-parser';
import express, { Router, type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express';
import { authnRoutes, SessionTokens, SESSION_TOKEN_LIFETIME_MS } from './authn.js';
import { corsPolicy, stripCorsHeaders } from './cors-policy.js';
import { LAB_PREFIX } from './cors-lab/behaviour.js';
import { corsLabRouter, type LabSites } from './cors-lab/router.js';
import { ExchangeLog } from './exchange-log.js';
import { OktaErrors, sendOktaError } from './okta-errors.js';
import { rateLimits } from './rate-limits.js';
import { isPreflight } from './preflight.js';
import { requestId } from './request-id.js';
import { OidcAppRegistry, singlePageApp, type OidcApp, type OidcAppSettings } from './oidc/apps.js';
import { authServers } from './oidc/auth-servers.js';
import { GrantStore } from './oidc/grants.js';
import { oidcRoutes } from './oidc/router.js';
import { SESSION_COOKIE, SESSION_LIFETIME_MS, SessionStore } from './sessions.js';
import { sessionsApi } from './sessions-api.js';
import { signInRoutes } from './sign-in.js';
import { trustedOriginsAdminApi, TRUSTED_ORIGINS_PATH } from './trusted-origins/admin-api.js';
import { AdminToken } from './trusted-origins/admin-token.js';
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

/** What `GET /api/v1/org` answers (Okta's Org object, the fields a client reads). */
const ORG = {
  id: '00o1n8sbwArJ7OQRw406',
  subdomain: 'mock-org',
  companyName: 'Mock Okta org',
  status: 'ACTIVE',
  created: '2025-03-04T09:10:00.000Z',
  lastUpdated: '2025-03-04T09:10:00.000Z',
  expiresAt: null,
} as const;

export interface OktaApiOptions {
  trustedOrigins: TrustedOriginStore;
  errorResponseCors?: ErrorResponseCors;
  /** The org's user; defaults to the demo user. */
  account?: UserAccount;
  /**
   * Serves the CORS lab (deliberately misconfigured CORS answers, for the conformance matrix),
   * redirecting only to these sites. Off unless given: a mock a person runs should not answer
   * any origin on request.
   */
  corsLab?: LabSites;
  /** The admin API's token (`Authorization: SSWS <token>`); random when left out. */
  adminToken?: string;
  /** The org's single-page OIDC app: its sign-in and sign-out redirect URIs (none when left out). */
  oidcApp?: OidcAppSettings;
  /** Requests a minute per endpoint before 429 E0000047 (Okta's rate limits); high by default. */
  rateLimit?: number;
  /** The clock of codes and tokens (milliseconds since the epoch); server specs move it. */
  now?: () => number;
}

export interface OktaApi {
  app: Express;
  /** What admin API calls send as `Authorization: SSWS <adminToken>`. */
  adminToken: string;
  exchangeLog: ExchangeLog;
  account: UserAccount;
  sessions: SessionStore;
  /** The org's single-page app: what the SDK is configured with (`clientId`, redirect URIs). */
  oidcApp: OidcApp;
}

/**
 * For the APIs that do not support CORS, as in Okta ("CORS on an API by API basis"): no
 * CORS headers for any origin, trusted or not, and a preflight ends here unanswered.
 * `Vary: Origin` still, as on every response of a server whose answers depend on Origin.
 */
const withoutCors: RequestHandler = (req, res, next) => {
  res.vary('Origin');
  if (isPreflight(req)) {
    res.status(204).end();
    return;
  }
  next();
};

/** Who may read the org's user and settings: a session's cookie, or the API token. */
interface Caller {
  sessions: SessionStore;
  adminToken: AdminToken;
  account: UserAccount;
}

// As in Okta, an API token answers for its owner: the org's user, who made it.
const isSignedIn = ({ sessions, adminToken }: Caller, req: Request): boolean =>
  sessions.find(req.cookies?.[SESSION_COOKIE] as string | undefined) !== undefined || adminToken.matches(req.headers.authorization);

/** GET /api/v1/users/me: the signed-in user, with the endpoint's CORS (also on its 403, unless `errorResponseCors` says not). */
function usersMeRoutes(caller: Caller, trustedOrigins: TrustedOriginStore, errorResponseCors: ErrorResponseCors): Router {
  const { account } = caller;
  const router = Router();
  router.use('/api/v1/users/me', ...corsPolicy(trustedOrigins));
  router.get('/api/v1/users/me', (req, res) => {
    if (!isSignedIn(caller, req)) {
      if (errorResponseCors === 'without-cors') stripCorsHeaders(res);
      OktaErrors.invalidSession(res);
      return;
    }
    const self = `${req.protocol}://${req.get('host') ?? ''}/api/v1/users/${account.user.id}`;
    res.json({ ...account.user, _links: { ...account.user._links, self: { href: self } } });
  });
  router.all('/api/v1/users/me', (req, res) => OktaErrors.methodNotAllowed(res, req.method));
  return router;
}

/** The org's settings: for the signed-in user or the API token, never cross-origin. */
function orgRoutes(caller: Caller): Router {
  const router = Router();
  router.get('/api/v1/org', withoutCors, (req, res) => {
    if (!isSignedIn(caller, req)) {
      OktaErrors.invalidToken(res);
      return;
    }
    const base = `${req.protocol}://${req.get('host') ?? ''}`;
    res.json({ ...ORG, _links: { self: { href: `${base}/api/v1/org` } } });
  });
  router.all('/api/v1/org', withoutCors, (req, res) => OktaErrors.methodNotAllowed(res, req.method));
  return router;
}

/** Body parsers' failures as Okta's E0000003; anything else is a 500 in Okta's shape, logged. */
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
  sendOktaError(res, 500, 'E0000009', 'Internal Server Error');
};

export function createOktaApi(options: OktaApiOptions): OktaApi {
  const errorResponseCors = options.errorResponseCors ?? 'with-cors';
  const account = options.account ?? defaultAccount('');
  const sessions = new SessionStore(SESSION_LIFETIME_MS, options.now ?? Date.now);
  const exchangeLog = new ExchangeLog();
  const adminToken = new AdminToken(options.adminToken);
  const now = options.now ?? Date.now;
  const sessionTokens = new SessionTokens(SESSION_TOKEN_LIFETIME_MS, now);
  const oidcApp = singlePageApp(options.oidcApp ?? { redirectUris: [], postLogoutRedirectUris: [] });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // A refused call keeps its endpoint's CORS answer: trusted origins, except on the admin APIs.
  const trustedCors = corsPolicy(options.trustedOrigins);
  const corsFor = (req: Request) => (/^\/api\/v1\/(trustedOrigins|org)\b/.test(req.path) ? [] : trustedCors);
  app.use(exchangeLog.middleware, requestId, cookieParser(), rateLimits({ limit: options.rateLimit, now, corsFor }));
  app.use(signInRoutes(sessions, account));
  app.use(authnRoutes({ sessions, account, trustedOrigins: options.trustedOrigins, sessionTokens }));
  app.use(sessionsApi({ sessions, account, trustedOrigins: options.trustedOrigins }));
  const oidc = { apps: new OidcAppRegistry([oidcApp]), sessions, sessionTokens, grants: new GrantStore(now), account, now };
  app.use(oidcRoutes(authServers(), oidc, options.trustedOrigins));
  // The CORS lab: deliberately misconfigured answers for the conformance matrix, apart from /api/v1.
  if (options.corsLab !== undefined) app.use(LAB_PREFIX, corsLabRouter(options.corsLab));

  const caller = { sessions, adminToken, account };
  app.use(usersMeRoutes(caller, options.trustedOrigins, errorResponseCors));

  // The admin APIs: no CORS, as in real Okta.
  app.use(
    TRUSTED_ORIGINS_PATH,
    withoutCors,
    trustedOriginsAdminApi({ store: options.trustedOrigins, token: adminToken, actor: account.user.id }),
  );
  app.use(orgRoutes(caller));

  app.use('/api/v1', (_req, res) => OktaErrors.notFound(res));
  app.use((_req, res) => {
    res.status(404).type('text').send('Not found. The mock Okta org serves /login and /api/v1/…\n');
  });

  app.use(onError);

  return { app, adminToken: adminToken.value, exchangeLog, account, sessions, oidcApp };
}
