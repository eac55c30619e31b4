/**
 * The authorization server's API endpoints a single-page app calls with `fetch`:
 *   POST {issuer}/v1/token       authorization_code (with the PKCE verifier) and refresh_token
 *   POST {issuer}/v1/revoke      RFC 7009: 200 for any token, known or not
 *   POST {issuer}/v1/introspect  RFC 7662: {active, …}
 * All take a form body and identify the public client by `client_id` in the body or as
 * `Authorization: Basic base64(client_id)` (what the SDK sends to revoke and introspect).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { OidcApp } from './apps.js';
import type { AuthServer } from './auth-servers.js';
import { mintContext, single, type OidcContext } from './context.js';
import { OAuthErrors, sendOAuthError } from './oauth-errors.js';
import { liveAccessToken, mintTokens } from './tokens.js';

/** The form body, or undefined when the request is not a form. */
const formOf = (req: Request): Record<string, unknown> | undefined =>
  req.is('application/x-www-form-urlencoded') === false || typeof req.body !== 'object' || req.body === null
    ? undefined
    : (req.body as Record<string, unknown>);

/** The client the request names (body, else Basic credentials), if registered. */
function clientOf(req: Request, form: Record<string, unknown>, context: OidcContext): OidcApp | undefined {
  const fromBody = single(form, 'client_id');
  if (typeof fromBody === 'string') return context.apps.find(fromBody);
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (basic === undefined) return undefined;
  return context.apps.find(Buffer.from(basic, 'base64').toString('utf8').split(':')[0]);
}

/** The form and the client, or the error already sent. */
function formAndClient(req: Request, res: Response, context: OidcContext): { form: Record<string, unknown>; app: OidcApp } | undefined {
  const form = formOf(req);
  if (form === undefined) {
    sendOAuthError(res, 400, OAuthErrors.formBody());
    return undefined;
  }
  const app = clientOf(req, form, context);
  if (app === undefined) {
    sendOAuthError(res, 401, OAuthErrors.invalidClient());
    return undefined;
  }
  return { form, app };
}

/** The client and the `token` parameter of a revoke or introspect call; undefined once it answered an error. */
function clientAndToken(req: Request, res: Response, context: OidcContext): { app: OidcApp; token: string } | undefined {
  const checked = formAndClient(req, res, context);
  if (checked === undefined) return undefined;
  const token = single(checked.form, 'token');
  if (typeof token !== 'string') {
    sendOAuthError(res, 400, OAuthErrors.missing('token'));
    return undefined;
  }
  return { app: checked.app, token };
}

/** PKCE S256: BASE64URL(SHA256(verifier)) must equal the challenge, compared in constant time. */
function pkceHolds(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

async function codeGrant(req: Request, res: Response, server: AuthServer, context: OidcContext, form: Record<string, unknown>, app: OidcApp) {
  const code = single(form, 'code');
  const redirectUri = single(form, 'redirect_uri');
  const verifier = single(form, 'code_verifier');
  if (typeof code !== 'string') return sendOAuthError(res, 400, OAuthErrors.missing('code'));
  if (typeof verifier !== 'string') return sendOAuthError(res, 400, OAuthErrors.missing('code_verifier'));
  const grant = context.grants.redeemCode(code);
  if (grant === undefined || grant.clientId !== app.clientId || grant.authServer !== server.id) {
    return sendOAuthError(res, 400, OAuthErrors.invalidCode());
  }
  if (redirectUri !== grant.redirectUri) return sendOAuthError(res, 400, OAuthErrors.redirectUriMismatch());
  if (!pkceHolds(verifier, grant.codeChallenge)) return sendOAuthError(res, 400, OAuthErrors.pkceFailed());
  const { redirectUri: _used, codeChallenge: _challenge, expiresAt: _expires, ...kept } = grant;
  res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache').json(await mintTokens(mintContext(context, server, req), kept));
}

async function refreshGrant(req: Request, res: Response, server: AuthServer, context: OidcContext, form: Record<string, unknown>, app: OidcApp) {
  const token = single(form, 'refresh_token');
  if (typeof token !== 'string') return sendOAuthError(res, 400, OAuthErrors.missing('refresh_token'));
  const grant = context.grants.findRefreshToken(token);
  if (grant === undefined || grant.clientId !== app.clientId || grant.authServer !== server.id) {
    return sendOAuthError(res, 400, OAuthErrors.invalidRefreshToken());
  }
  // Rotation, as Okta does for single-page apps: the used token is spent, a new one comes back.
  context.grants.revokeRefreshToken(token);
  const { expiresAt: _expires, ...kept } = grant;
  res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache').json(await mintTokens(mintContext(context, server, req), kept));
}

export function tokenEndpoint(server: AuthServer, context: OidcContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const checked = formAndClient(req, res, context);
    if (checked === undefined) return;
    const grantType = single(checked.form, 'grant_type');
    if (grantType === 'authorization_code') return codeGrant(req, res, server, context, checked.form, checked.app);
    if (grantType === 'refresh_token') return refreshGrant(req, res, server, context, checked.form, checked.app);
    if (typeof grantType !== 'string') return sendOAuthError(res, 400, OAuthErrors.missing('grant_type'));
    sendOAuthError(res, 400, OAuthErrors.unsupportedGrant(grantType));
  };
}

export function revokeEndpoint(server: AuthServer, context: OidcContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const checked = clientAndToken(req, res, context);
    if (checked === undefined) return;
    const { token } = checked;
    const refresh = context.grants.findRefreshToken(token);
    if (refresh?.clientId === checked.app.clientId) context.grants.revokeRefreshToken(token);
    const access = await liveAccessToken(mintContext(context, server, req), token);
    if (access?.cid === checked.app.clientId && typeof access.jti === 'string') context.grants.revokeAccessToken(access.jti);
    res.status(200).set('Cache-Control', 'no-store').end();
  };
}

export function introspectEndpoint(server: AuthServer, context: OidcContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const checked = clientAndToken(req, res, context);
    if (checked === undefined) return;
    const { token } = checked;
    res.set('Cache-Control', 'no-store');
    const mint = mintContext(context, server, req);
    const access = await liveAccessToken(mint, token);
    if (access !== undefined && access.cid === checked.app.clientId) {
      const { iss, aud, sub, iat, exp, jti, uid, scp } = access as Record<string, unknown>;
      res.json({ active: true, token_type: 'Bearer', scope: (scp as string[]).join(' '), client_id: access.cid, username: sub, exp, iat, sub, aud, iss, jti, uid });
      return;
    }
    const refresh = context.grants.findRefreshToken(token);
    if (refresh !== undefined && refresh.clientId === checked.app.clientId && refresh.authServer === server.id) {
      res.json({ active: true, token_type: 'refresh_token', scope: refresh.scopes.join(' '), client_id: refresh.clientId, username: refresh.login, exp: Math.floor(refresh.expiresAt / 1000), sub: refresh.login, iss: mint.issuer, uid: context.account.user.id });
      return;
    }
    res.json({ active: false });
  };
}
