/**
 * Okta's programmatic sign-in, so one sign-in works against this mock and a real org:
 *   POST /api/v1/authn {username, password}   → a one-time session token (Authentication API)
 *   GET  /login/sessionCookieRedirect?token=&redirectUrl=
 *                                             → the HttpOnly session cookie, then a 302 to redirectUrl
 * A session token is single-use and expires (5 minutes by default). As in Okta, redirectUrl must
 * be on an ACTIVE Trusted Origin with the REDIRECT scope: otherwise the endpoint would be an open
 * redirector that also plants sessions.
 */
import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { corsPolicy } from './cors-policy.js';
import { jsonObjectBody, OktaErrors, sendOktaError } from './okta-errors.js';
import { startSession, type SessionStore } from './sessions.js';
import type { TrustedOriginStore } from './trusted-origins/store.js';
import type { UserAccount } from './users.js';

const AUTHN_PATH = '/api/v1/authn';
const SESSION_COOKIE_REDIRECT_PATH = '/login/sessionCookieRedirect';
export const SESSION_TOKEN_LIFETIME_MS = 5 * 60_000;

/** What the user's profile in an authn answer holds beyond the mock's user (Okta sends both). */
const PROFILE_LOCALE = 'en_US';
const PROFILE_TIME_ZONE = 'America/Los_Angeles';

export interface AuthnOptions {
  sessions: SessionStore;
  account: UserAccount;
  trustedOrigins: TrustedOriginStore;
  /** How long a session token can be redeemed. */
  tokenLifetimeMs?: number;
  /** The one-time token store, when another endpoint (OIDC `authorize`) redeems them too. */
  sessionTokens?: SessionTokens;
  /** Milliseconds since the epoch; tests move it to expire tokens without waiting. */
  now?: () => number;
}

/** Okta's `_embedded.user` of a SUCCESS answer. */
interface AuthnUser {
  id: string;
  passwordChanged: string;
  profile: { login: string; firstName: string; lastName: string; locale: string; timeZone: string };
}

interface AuthnSuccess {
  expiresAt: string;
  status: 'SUCCESS';
  sessionToken: string;
  _embedded: { user: AuthnUser };
}

/** One-time session tokens: redeemed at most once, never after they expire. */
export class SessionTokens {
  private readonly tokens = new Map<string, { login: string; expiresAt: number }>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly now: () => number,
  ) {}

  issue(login: string): { token: string; expiresAt: number } {
    this.prune();
    // Okta's look: "20111" and URL-safe characters.
    const token = `20111${randomBytes(27).toString('base64url')}`;
    const expiresAt = this.now() + this.lifetimeMs;
    this.tokens.set(token, { login, expiresAt });
    return { token, expiresAt };
  }

  /** The login the token was issued for, once; undefined when unknown, used or expired. */
  redeem(token: string): string | undefined {
    const entry = this.tokens.get(token);
    this.tokens.delete(token);
    return entry !== undefined && entry.expiresAt > this.now() ? entry.login : undefined;
  }

  // Unredeemed tokens would otherwise pile up for the life of a long `npm run serve`.
  private prune(): void {
    const now = this.now();
    for (const [token, entry] of this.tokens) if (entry.expiresAt <= now) this.tokens.delete(token);
  }
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Okta answers a failed redirect with a page (a person's browser is on it), not JSON. */
function errorPage(res: Response, status: number, message: string): void {
  res
    .status(status)
    .type('html')
    .send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in failed - mock Okta org</title></head>
<body><h1>Sign-in failed</h1>
<p id="session-cookie-redirect-error" role="alert">${escapeHtml(message)}</p></body></html>`);
}

type Checked = { ok: true; value: string } | { ok: false; status: number; message: string };

/** A query parameter given exactly once, or why not. */
function oneParameter(value: unknown, name: string, missing: string): Checked {
  if (Array.isArray(value)) return { ok: false, status: 400, message: `${name} is given more than once: give it once.` };
  if (typeof value !== 'string' || value === '') return { ok: false, status: 400, message: `${name} is missing: ${missing}` };
  return { ok: true, value };
}

/** redirectUrl when it is an absolute http(s) URL on an ACTIVE Trusted Origin with the REDIRECT scope. */
function checkRedirect(value: unknown, store: TrustedOriginStore): Checked {
  const given = oneParameter(value, 'redirectUrl', 'give the absolute http(s) URL to open once the session is set.');
  if (!given.ok) return given;
  let origin: string | undefined;
  try {
    const url = new URL(given.value);
    if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
  } catch {
    origin = undefined;
  }
  if (origin === undefined) {
    return { ok: false, status: 400, message: `redirectUrl must be an absolute http(s) URL, got '${given.value}'.` };
  }
  const trusted = store
    .list()
    .some((entry) => entry.origin === origin && entry.status === 'ACTIVE' && entry.scopes.some((s) => s.type === 'REDIRECT'));
  if (!trusted) {
    return {
      ok: false,
      status: 403,
      message: `redirectUrl ${given.value} is not allowed: its origin ${origin} is not an active Trusted Origin with the Redirect scope.`,
    };
  }
  return given;
}

/** POST /api/v1/authn: a one-time session token for the account's user, as Okta answers it. */
function primaryAuthentication(account: UserAccount, tokens: SessionTokens, now: () => number) {
  return (req: Request, res: Response): void => {
    const body = jsonObjectBody(req, res, 'Send {"username", "password"} as a JSON object');
    if (body === undefined) return;
    const { username, password } = body;
    const causes = [
      ...(typeof username === 'string' && username !== '' ? [] : ['username: The field cannot be left blank']),
      ...(typeof password === 'string' && password !== '' ? [] : ['password: The field cannot be left blank']),
    ];
    if (causes.length > 0) {
      OktaErrors.validationFailed(res, 'authRequest', causes);
      return;
    }
    const { user } = account;
    // One answer for an unknown user and a wrong password, as Okta: it tells nothing about which.
    if (username !== user.profile.login || password !== account.password) {
      sendOktaError(res, 401, 'E0000004', 'Authentication failed');
      return;
    }
    user.lastLogin = new Date(now()).toISOString();
    const { token, expiresAt } = tokens.issue(user.profile.login);
    const answer: AuthnSuccess = {
      expiresAt: new Date(expiresAt).toISOString(),
      status: 'SUCCESS',
      sessionToken: token,
      _embedded: {
        user: {
          id: user.id,
          passwordChanged: user.passwordChanged,
          profile: {
            login: user.profile.login,
            firstName: user.profile.firstName,
            lastName: user.profile.lastName,
            locale: PROFILE_LOCALE,
            timeZone: PROFILE_TIME_ZONE,
          },
        },
      },
    };
    res.set('Cache-Control', 'no-store').json(answer);
  };
}

/** GET /login/sessionCookieRedirect: redeems a session token for the session cookie, then redirects. */
function sessionCookieRedirect(sessions: SessionStore, tokens: SessionTokens, trustedOrigins: TrustedOriginStore) {
  return (req: Request, res: Response): void => {
    // The URL carries a credential: no cache may keep the answer.
    res.set('Cache-Control', 'no-store');
    // The redirect first: a refused redirect leaves the token unused, to retry with a good URL.
    const redirect = checkRedirect(req.query.redirectUrl, trustedOrigins);
    if (!redirect.ok) {
      errorPage(res, redirect.status, redirect.message);
      return;
    }
    const token = oneParameter(req.query.token, 'token', 'give the sessionToken that POST /api/v1/authn returned.');
    if (!token.ok) {
      errorPage(res, 401, token.message);
      return;
    }
    const login = tokens.redeem(token.value);
    if (login === undefined) {
      errorPage(res, 401, 'The session token is invalid: unknown, expired or already used. Sign in again with POST /api/v1/authn.');
      return;
    }
    startSession(req, res, sessions, login);
    res.redirect(302, redirect.value);
  };
}

export function authnRoutes(options: AuthnOptions): Router {
  const { sessions, account, trustedOrigins } = options;
  const now = options.now ?? Date.now;
  const tokens = options.sessionTokens ?? new SessionTokens(options.tokenLifetimeMs ?? SESSION_TOKEN_LIFETIME_MS, now);
  const router = Router();

  // Okta supports CORS here (a sign-in form on a trusted origin calls it), decided by the same store.
  router.use(AUTHN_PATH, ...corsPolicy(trustedOrigins));
  router.post(AUTHN_PATH, express.json({ limit: '8kb' }), primaryAuthentication(account, tokens, now));
  router.all(AUTHN_PATH, (req, res) => OktaErrors.methodNotAllowed(res, req.method));
  router.get(SESSION_COOKIE_REDIRECT_PATH, sessionCookieRedirect(sessions, tokens, trustedOrigins));
  return router;
}
