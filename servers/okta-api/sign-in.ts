/**
 * The org's own sign-in and sign-out pages. They set and clear the HttpOnly session cookie
 * that CORS calls then carry; tests sign in through them like a person would.
 */
import express, { Router } from 'express';
import type { Request, Response } from 'express';
import { endSession, sessionIdOf, startSession, type SessionStore } from './sessions.js';
import type { UserAccount } from './users.js';

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:28rem}label{display:block;margin:.8rem 0}input{width:100%;padding:.4rem}</style>
</head><body>${body}</body></html>`;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Where to go once signed in: only the org's own authorization endpoints (`/oauth2/…/authorize`
 * sends a person here without a session), never another site (no open redirect).
 */
function returnPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/oauth2\/[\w/]*authorize\?/.test(value) ? value : undefined;
}

function signInForm(error?: string, fromURI?: string): string {
  return page(
    'Sign in - mock Okta org',
    `<h1>Sign in to your Okta organization</h1>
${error === undefined ? '' : `<p id="sign-in-error" role="alert">${escapeHtml(error)}</p>`}
<form id="sign-in" method="post" action="/login">
  <label>Username <input id="username" name="username" autocomplete="username" required></label>
  <label>Password <input id="password" name="password" type="password" autocomplete="current-password" required></label>
  ${fromURI === undefined ? '' : `<input type="hidden" name="fromURI" value="${escapeHtml(fromURI)}">`}
  <button id="sign-in-submit" type="submit">Sign in</button>
</form>`,
  );
}

export function signInRoutes(sessions: SessionStore, account: UserAccount): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));

  router.get('/login', (req, res) => {
    res.type('html').send(signInForm(undefined, returnPath(req.query.fromURI)));
  });

  router.post('/login', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { username, password } = body;
    const fromURI = returnPath(body.fromURI);
    if (typeof username !== 'string' || typeof password !== 'string' || username === '' || password === '') {
      res.status(400).type('html').send(signInForm('Enter both a username and a password.', fromURI));
      return;
    }
    if (username !== account.user.profile.login || password !== account.password) {
      res.status(401).type('html').send(signInForm('Sign in failed: unknown username or wrong password.', fromURI));
      return;
    }
    account.user.lastLogin = new Date().toISOString();
    startSession(req, res, sessions, username);
    // Back to the authorize request that sent the person here, which now finds the session.
    res.redirect(303, fromURI ?? '/login/done');
  });

  router.get('/login/done', (req, res) => {
    const session = sessions.find(sessionIdOf(req));
    if (session === undefined) {
      res.redirect(303, '/login');
      return;
    }
    res
      .type('html')
      .send(
        page(
          'Signed in',
          `<h1 id="signed-in" data-login="${escapeHtml(session.login)}">Signed in as ${escapeHtml(session.login)}</h1>
<p>Keep this tab: the CORS test page can now call the API with your session.</p>
<form method="post" action="/login/signout"><button id="sign-out" type="submit">Sign out</button></form>`,
        ),
      );
  });

  const signOut = (req: Request, res: Response): void => {
    endSession(req, res, sessions);
    res.type('html').send(page('Signed out', '<h1 id="signed-out">Signed out</h1><p><a href="/login">Sign in again</a></p>'));
  };
  router.get('/login/signout', signOut);
  router.post('/login/signout', signOut);

  return router;
}
