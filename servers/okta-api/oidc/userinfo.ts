/**
 * `GET|POST {issuer}/v1/userinfo` with `Authorization: Bearer <access token>`: the user's
 * claims for the token's scopes (`openid` required). A bad token answers 401 with
 * `WWW-Authenticate: Bearer error="invalid_token"` as Okta does, and the OAuth body.
 */
import type { Request, Response } from 'express';
import type { AuthServer } from './auth-servers.js';
import { mintContext, type OidcContext } from './context.js';
import { oauthError, OAuthErrors, sendOAuthError } from './oauth-errors.js';
import { liveAccessToken, profileClaims } from './tokens.js';

export function userinfoEndpoint(server: AuthServer, context: OidcContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const mint = mintContext(context, server, req);
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const claims = token === undefined ? undefined : await liveAccessToken(mint, token);
    if (claims === undefined) {
      const { error, error_description } = OAuthErrors.invalidToken();
      res.set('WWW-Authenticate', `Bearer authorization_uri="${mint.issuer}${server.endpointsPath.slice(server.issuerPath.length)}/authorize", error="${error}", error_description="${error_description}"`);
      return sendOAuthError(res, 401, OAuthErrors.invalidToken());
    }
    const scopes = Array.isArray(claims.scp) ? (claims.scp as string[]) : [];
    if (!scopes.includes('openid')) {
      const body = oauthError('insufficient_scope', 'The access token must provide access to at least one of these scopes - openid.');
      res.set('WWW-Authenticate', `Bearer error="${body.error}", error_description="${body.error_description}"`);
      return sendOAuthError(res, 403, body);
    }
    res.set('Cache-Control', 'no-store').json({ sub: context.account.user.id, ...profileClaims(context.account, scopes) });
  };
}
