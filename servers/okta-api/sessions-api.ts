/**
 * Okta's Sessions API for the browser's own session (what `authClient.session.*` calls):
 *   GET    /api/v1/sessions/me                    the session the cookie names
 *   POST   /api/v1/sessions/me/lifecycle/refresh  extends it
 *   DELETE /api/v1/sessions/me                    ends it (204) and clears the cookie
 * Without a live session each answers 404 E0000007, as Okta does. CORS: trusted origins with
 * credentials (Okta supports CORS on these for the SDK).
 */
import { Router, type Request, type Response } from 'express';
import { corsPolicy } from './cors-policy.js';
import { OktaErrors } from './okta-errors.js';
import { endSession, sessionIdOf, type Session, type SessionStore } from './sessions.js';
import type { TrustedOriginStore } from './trusted-origins/store.js';
import type { UserAccount } from './users.js';

const SESSIONS_ME_PATH = '/api/v1/sessions/me';
const SESSION_REFRESH_PATH = `${SESSIONS_ME_PATH}/lifecycle/refresh`;

/** The identity provider every session of the org comes from: the org itself. */
const ORG_IDP = { id: '00o1n8sbwArJ7OQRw406', type: 'OKTA' } as const;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Okta's Session object, with the links the SDK follows (`refresh`, `user`). */
function sessionJson(req: Request, session: Session, account: UserAccount) {
  const base = `${req.protocol}://${req.get('host') ?? ''}`;
  return {
    // Okta's session ids are not the cookie value; a digest-like prefix keeps the secret out of bodies.
    id: `102${session.id.slice(0, 22)}`,
    userId: account.user.id,
    login: session.login,
    createdAt: iso(session.createdAt),
    expiresAt: iso(session.expiresAt),
    status: 'ACTIVE',
    lastPasswordVerification: iso(session.lastPasswordVerification),
    lastFactorVerification: null,
    amr: ['pwd'],
    idp: ORG_IDP,
    mfaActive: false,
    _links: {
      self: { href: `${base}${SESSIONS_ME_PATH}`, hints: { allow: ['GET', 'DELETE'] } },
      refresh: { href: `${base}${SESSION_REFRESH_PATH}`, hints: { allow: ['POST'] } },
      user: {
        name: `${account.user.profile.firstName} ${account.user.profile.lastName}`,
        href: `${base}/api/v1/users/me`,
        hints: { allow: ['GET'] },
      },
    },
  };
}

const noSession = (res: Response): void => OktaErrors.notFound(res, 'Resource not found: me (Session)');

export function sessionsApi(options: { sessions: SessionStore; account: UserAccount; trustedOrigins: TrustedOriginStore }): Router {
  const { sessions, account } = options;
  const router = Router();
  router.use(SESSIONS_ME_PATH, ...corsPolicy(options.trustedOrigins));
  // A session answer names the user: never cached.
  router.use(SESSIONS_ME_PATH, (_req, res, next) => {
    res.set('Cache-Control', 'no-cache, no-store');
    next();
  });

  router.get(SESSIONS_ME_PATH, (req, res) => {
    const session = sessions.find(sessionIdOf(req));
    if (session === undefined) return noSession(res);
    res.json(sessionJson(req, session, account));
  });
  router.delete(SESSIONS_ME_PATH, (req, res) => {
    if (sessions.find(sessionIdOf(req)) === undefined) return noSession(res);
    endSession(req, res, sessions);
    res.status(204).end();
  });
  router.post(SESSION_REFRESH_PATH, (req, res) => {
    const session = sessions.refresh(sessionIdOf(req));
    if (session === undefined) return noSession(res);
    res.json(sessionJson(req, session, account));
  });
  router.all([SESSIONS_ME_PATH, SESSION_REFRESH_PATH], (req, res) => OktaErrors.methodNotAllowed(res, req.method));
  return router;
}
