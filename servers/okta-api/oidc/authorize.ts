/**
 * `GET {issuer}/v1/authorize`: the authorization code flow with PKCE (S256) for the org's
 * single-page app. A browser navigates here (top level or the SDK's hidden iframe), so there
 * is no CORS. The user's session comes from the cookie or a one-time `sessionToken`.
 * Errors about the client or the redirect URI are shown as a page (the browser cannot be sent
 * back safely); the others go back to the redirect URI in the response mode asked for.
 */
import type { Request, Response } from 'express';
import { sessionIdOf, startSession } from '../sessions.js';
import type { OidcApp } from './apps.js';
import { SUPPORTED_SCOPES, type AuthServer } from './auth-servers.js';
import { single, type OidcContext } from './context.js';
import { OAuthErrors, sendOAuthErrorPage, type OAuthErrorBody } from './oauth-errors.js';

export const RESPONSE_MODES = ['query', 'fragment', 'okta_post_message'] as const;
type ResponseMode = (typeof RESPONSE_MODES)[number];

/** Where and how the answer goes back. */
interface Reply {
  redirectUri: string;
  mode: ResponseMode;
  state: string | undefined;
}

/** The page Okta serves for `okta_post_message`: it posts the result to the redirect URI's origin only. */
function postMessagePage(targetOrigin: string, data: Record<string, string>): string {
  // JSON in a script: escape '<' so no value can close the script element.
  const json = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mock Okta org</title></head><body>
<script>window.parent.postMessage(${json(data)}, ${json(targetOrigin)});</script>
</body></html>`;
}

function sendBack(res: Response, reply: Reply, data: Record<string, string>): void {
  const withState = reply.state === undefined ? data : { ...data, state: reply.state };
  res.set('Cache-Control', 'no-store');
  if (reply.mode === 'okta_post_message') {
    res.type('html').send(postMessagePage(new URL(reply.redirectUri).origin, withState));
    return;
  }
  const url = new URL(reply.redirectUri);
  const params = new URLSearchParams(withState).toString();
  if (reply.mode === 'fragment') url.hash = params;
  else url.search = url.search === '' ? params : `${url.search}&${params}`;
  res.redirect(302, url.toString());
}

const sendBackError = (res: Response, reply: Reply, body: OAuthErrorBody): void =>
  sendBack(res, reply, { error: body.error, error_description: body.error_description });

/** The app and where to answer, or the error page's body when there is no safe way back. */
function checkClient(req: Request, context: OidcContext): { app: OidcApp; reply: Reply } | OAuthErrorBody {
  const q = req.query;
  const clientId = single(q, 'client_id');
  const app = context.apps.find(clientId);
  if (app === undefined) return typeof clientId === 'object' ? OAuthErrors.repeated('client_id') : OAuthErrors.invalidClient();
  const redirectUri = single(q, 'redirect_uri');
  if (typeof redirectUri !== 'string' || !app.redirectUris.includes(redirectUri)) return OAuthErrors.redirectUriNotRegistered();
  const mode = single(q, 'response_mode') ?? 'query';
  if (typeof mode !== 'string' || !(RESPONSE_MODES as readonly string[]).includes(mode)) {
    return OAuthErrors.responseMode(typeof mode === 'string' ? mode : 'repeated');
  }
  const state = single(q, 'state');
  return { app, reply: { redirectUri, mode: mode as ResponseMode, state: typeof state === 'string' ? state : undefined } };
}

/** The request's scopes, nonce and PKCE challenge, or the error to send back. */
function checkRequest(req: Request): { scopes: string[]; nonce?: string; challenge: string } | OAuthErrorBody {
  const q = req.query;
  for (const name of ['response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'prompt', 'sessionToken']) {
    if (typeof single(q, name) === 'object') return OAuthErrors.repeated(name);
  }
  const responseType = single(q, 'response_type') as string | undefined;
  if (responseType === undefined) return OAuthErrors.missing('response_type');
  if (responseType !== 'code') return OAuthErrors.responseType(responseType);
  const scope = single(q, 'scope') as string | undefined;
  if (scope === undefined) return OAuthErrors.missing('scope');
  const scopes = scope.split(' ').filter((s) => s !== '');
  const unknown = scopes.filter((s) => !(SUPPORTED_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) return OAuthErrors.invalidScope(unknown);
  if (single(q, 'state') === undefined) return OAuthErrors.missing('state');
  const challenge = single(q, 'code_challenge') as string | undefined;
  if (challenge === undefined) return OAuthErrors.pkceRequired();
  if (single(q, 'code_challenge_method') !== 'S256') return OAuthErrors.challengeMethod();
  const nonce = single(q, 'nonce') as string | undefined;
  return { scopes, challenge, ...(nonce === undefined ? {} : { nonce }) };
}

/** The signed-in login: a redeemed session token (which starts a session) or the cookie's session. */
function signedIn(req: Request, res: Response, context: OidcContext): { login: string; authTime: number } | undefined {
  const sessionToken = single(req.query, 'sessionToken');
  const redeemed = typeof sessionToken === 'string' ? context.sessionTokens.redeem(sessionToken) : undefined;
  if (redeemed !== undefined) {
    const id = startSession(req, res, context.sessions, redeemed);
    const session = context.sessions.find(id);
    if (session !== undefined) return { login: session.login, authTime: Math.floor(session.createdAt / 1000) };
  }
  const session = context.sessions.find(sessionIdOf(req));
  return session === undefined ? undefined : { login: session.login, authTime: Math.floor(session.createdAt / 1000) };
}

export function authorize(server: AuthServer, context: OidcContext) {
  return (req: Request, res: Response): void => {
    const client = checkClient(req, context);
    if ('error' in client) return sendOAuthErrorPage(res, client);
    const { app, reply } = client;
    const request = checkRequest(req);
    if ('error' in request) return sendBackError(res, reply, request);
    const user = signedIn(req, res, context);
    if (user === undefined) {
      if (single(req.query, 'prompt') === 'none') return sendBackError(res, reply, OAuthErrors.loginRequired());
      // Okta sends the person to its sign-in page, which comes back here once signed in.
      res.redirect(302, `/login?${new URLSearchParams({ fromURI: req.originalUrl }).toString()}`);
      return;
    }
    const grant = {
      authServer: server.id,
      clientId: app.clientId,
      login: user.login,
      scopes: request.scopes,
      authTime: user.authTime,
      ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    };
    sendBack(res, reply, { code: context.grants.issueCode(grant, reply.redirectUri, request.challenge) });
  };
}
