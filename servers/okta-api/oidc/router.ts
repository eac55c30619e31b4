/**
 * OpenID Connect on both authorization servers, each endpoint with the CORS rule Okta gives it:
 * - discovery document and `keys`: public, any origin, never credentials (`*`);
 * - `token`, `revoke`, `introspect`, `userinfo`: the org's trusted origins (CORS scope);
 * - `authorize` and `logout`: browser navigations, no CORS at all.
 * `Vary: Origin` on every answer.
 */
import cors from 'cors';
import express, { Router, type RequestHandler } from 'express';
import { CORS_ALLOWED_HEADERS, corsPolicy, OKTA_EXPOSED_HEADERS } from '../cors-policy.js';
import type { TrustedOriginStore } from '../trusted-origins/store.js';
import { RESPONSE_MODES, authorize } from './authorize.js';
import { issuerOf, SUPPORTED_SCOPES, type AuthServer } from './auth-servers.js';
import type { OidcContext } from './context.js';
import { logoutEndpoint } from './logout.js';
import { introspectEndpoint, revokeEndpoint, tokenEndpoint } from './token-endpoints.js';
import { userinfoEndpoint } from './userinfo.js';
import { sendOAuthError } from './oauth-errors.js';

/** Public metadata: any origin may read it, without credentials, as Okta answers it. */
const publicCors: RequestHandler = cors({
  origin: '*',
  methods: ['GET', 'OPTIONS'],
  allowedHeaders: CORS_ALLOWED_HEADERS,
  exposedHeaders: OKTA_EXPOSED_HEADERS,
  maxAge: 3600,
  optionsSuccessStatus: 204,
});

const varyOnOrigin: RequestHandler = (_req, res, next) => {
  res.vary('Origin');
  next();
};

function discovery(server: AuthServer, issuer: string) {
  const endpoint = (name: string): string => `${issuer}${server.endpointsPath.slice(server.issuerPath.length)}/${name}`;
  return {
    issuer,
    authorization_endpoint: endpoint('authorize'),
    token_endpoint: endpoint('token'),
    userinfo_endpoint: endpoint('userinfo'),
    jwks_uri: endpoint('keys'),
    end_session_endpoint: endpoint('logout'),
    revocation_endpoint: endpoint('revoke'),
    introspection_endpoint: endpoint('introspect'),
    response_types_supported: ['code'],
    response_modes_supported: [...RESPONSE_MODES],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: [...SUPPORTED_SCOPES],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_basic'],
    introspection_endpoint_auth_methods_supported: ['none', 'client_secret_basic'],
    claims_supported: ['iss', 'ver', 'sub', 'aud', 'iat', 'exp', 'jti', 'auth_time', 'amr', 'idp', 'nonce', 'name', 'given_name', 'family_name', 'preferred_username', 'locale', 'zoneinfo', 'updated_at', 'email', 'email_verified', 'at_hash'],
    code_challenge_methods_supported: ['S256'],
    request_parameter_supported: false,
  };
}

function authServerRoutes(server: AuthServer, context: OidcContext, trustedOrigins: TrustedOriginStore): Router {
  const router = Router();
  const at = (name: string): string => `${server.endpointsPath}/${name}`;
  const trusted = corsPolicy(trustedOrigins);
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.use(server.metadataPath, publicCors);
  router.get(server.metadataPath, (req, res) => {
    res.set('Cache-Control', 'max-age=86400').json(discovery(server, issuerOf(server, req)));
  });
  router.use(at('keys'), publicCors);
  router.get(at('keys'), async (_req, res) => {
    res.set('Cache-Control', 'max-age=86400').json({ keys: [await server.key.publicJwk()] });
  });

  router.get(at('authorize'), authorize(server, context));
  router.all(at('logout'), form, logoutEndpoint(server, context));

  router.use(at('token'), ...trusted);
  router.post(at('token'), form, tokenEndpoint(server, context));
  router.use(at('revoke'), ...trusted);
  router.post(at('revoke'), form, revokeEndpoint(server, context));
  router.use(at('introspect'), ...trusted);
  router.post(at('introspect'), form, introspectEndpoint(server, context));
  router.use(at('userinfo'), ...trusted);
  router.get(at('userinfo'), userinfoEndpoint(server, context));
  router.post(at('userinfo'), userinfoEndpoint(server, context));

  const known = [server.metadataPath, ...['keys', 'authorize', 'logout', 'token', 'revoke', 'introspect', 'userinfo'].map(at)];
  router.all(known, (req, res) =>
    sendOAuthError(res, 405, { error: 'invalid_request', error_description: `${req.method} is not supported here.` }),
  );
  return router;
}

export function oidcRoutes(servers: readonly AuthServer[], context: OidcContext, trustedOrigins: TrustedOriginStore): Router {
  const router = Router();
  router.use(varyOnOrigin);
  for (const server of servers) router.use(authServerRoutes(server, context, trustedOrigins));
  router.use('/oauth2', (_req, res) =>
    sendOAuthError(res, 404, { error: 'invalid_request', error_description: 'Not found: the authorization servers here are /oauth2/default and the org server (/oauth2/v1).' }),
  );
  return router;
}
