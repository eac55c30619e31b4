/**
 * `GET|POST {issuer}/v1/logout`: ends the browser's Okta session (a navigation, no CORS).
 * Names its client by `id_token_hint` (an ID token this server signed, expired or not) or
 * `client_id`; sends the browser to `post_logout_redirect_uri` (a registered sign-out
 * redirect URI, with `state`) or, without one, to the org's sign-in page.
 */
import type { Request, Response } from 'express';
import { endSession } from '../sessions.js';
import { issuerOf, type AuthServer } from './auth-servers.js';
import { single, type OidcContext } from './context.js';
import { OAuthErrors, sendOAuthErrorPage } from './oauth-errors.js';

export function logoutEndpoint(server: AuthServer, context: OidcContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const params = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
    const hint = single(params, 'id_token_hint');
    let clientId = single(params, 'client_id');
    if (typeof hint === 'string') {
      const claims = await server.key.verify(hint, issuerOf(server, req), context.now(), true);
      if (claims === undefined || typeof claims.aud !== 'string') return sendOAuthErrorPage(res, OAuthErrors.invalidIdTokenHint());
      clientId = claims.aud;
    }
    if (clientId === undefined) return sendOAuthErrorPage(res, OAuthErrors.missing('id_token_hint'));
    const app = context.apps.find(clientId);
    if (app === undefined) return sendOAuthErrorPage(res, OAuthErrors.invalidClient());
    const target = single(params, 'post_logout_redirect_uri');
    if (target !== undefined && (typeof target !== 'string' || !app.postLogoutRedirectUris.includes(target))) {
      return sendOAuthErrorPage(res, OAuthErrors.postLogoutRedirectUriNotRegistered());
    }
    endSession(req, res, context.sessions);
    res.set('Cache-Control', 'no-store');
    if (target === undefined) return res.redirect(302, '/login');
    const url = new URL(target);
    const state = single(params, 'state');
    if (typeof state === 'string') url.searchParams.set('state', state);
    res.redirect(302, url.toString());
  };
}
