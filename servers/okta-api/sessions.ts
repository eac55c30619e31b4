/**
 * Browser sessions of the mock org: the HttpOnly cookie a person gets by signing in on the
 * org's own page, by redeeming a session token, or through `/authorize` with a session token.
 * Every way in sets the same cookie through `startSession`, so its attributes live here once.
 */
import { randomBytes } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';

export const SESSION_COOKIE = 'sid';
/** Okta's default maximum idle time of a session (a policy setting in a real org). */
export const SESSION_LIFETIME_MS = 2 * 60 * 60_000;

export interface Session {
  id: string;
  login: string;
  createdAt: number;
  expiresAt: number;
  /** When the password was last checked: sign-in time, as Okta reports it. */
  lastPasswordVerification: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly lifetimeMs = SESSION_LIFETIME_MS,
    private readonly now: () => number = Date.now,
  ) {}

  create(login: string): string {
    const id = randomBytes(24).toString('base64url');
    const at = this.now();
    this.sessions.set(id, { id, login, createdAt: at, expiresAt: at + this.lifetimeMs, lastPasswordVerification: at });
    return id;
  }

  /** The live session with this id; an expired one is forgotten. */
  find(id: string | undefined): Session | undefined {
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (session !== undefined && session.expiresAt <= this.now()) {
      this.sessions.delete(session.id);
      return undefined;
    }
    return session;
  }

  /** Extends a live session by its full lifetime (`POST /api/v1/sessions/me/lifecycle/refresh`). */
  refresh(id: string | undefined): Session | undefined {
    const session = this.find(id);
    if (session !== undefined) session.expiresAt = this.now() + this.lifetimeMs;
    return session;
  }

  end(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }
}

/** The session id the request's cookie names (not checked: see `SessionStore.find`). */
export const sessionIdOf = (req: Request): string | undefined => req.cookies?.[SESSION_COOKIE] as string | undefined;

/**
 * The session cookie's attributes. Over HTTPS as Okta sets `sid`: `Secure; SameSite=None;
 * HttpOnly` (Okta's 2019 release notes moved its session cookies to SameSite=None ahead of
 * Chrome's Lax-by-default, and Chrome requires Secure with None), so a cross-site CORS call
 * carries it wherever the engine's third-party-cookie policy lets it. Over plain http (the
 * same-site topology) None would need Secure, which http cannot set: Lax, enough there since
 * the website and the API are one site.
 */
function sessionCookieOptions(req: Request): CookieOptions {
  return req.secure ? { httpOnly: true, secure: true, sameSite: 'none', path: '/' } : { httpOnly: true, sameSite: 'lax', path: '/' };
}

/** Ends the request's session, if any, and starts a new one for `login` (sets the cookie). */
export function startSession(req: Request, res: Response, sessions: SessionStore, login: string): string {
  sessions.end(sessionIdOf(req));
  const id = sessions.create(login);
  res.cookie(SESSION_COOKIE, id, sessionCookieOptions(req));
  return id;
}

/** Ends the request's session, if any, and clears the cookie. */
export function endSession(req: Request, res: Response, sessions: SessionStore): void {
  sessions.end(sessionIdOf(req));
  res.clearCookie(SESSION_COOKIE, sessionCookieOptions(req));
}
