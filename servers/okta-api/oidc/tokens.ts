/**
 * The tokens an authorization server issues, with the claims Okta puts in them:
 * RS256 JWT access and ID tokens, and opaque refresh tokens (with `offline_access`).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { UserAccount } from '../users.js';
import type { AuthServer } from './auth-servers.js';
import type { Grant, GrantStore } from './grants.js';

const ACCESS_TOKEN_LIFETIME_S = 3600;
const ID_TOKEN_LIFETIME_S = 3600;
/** The org's own identity provider id, in the `idp` claim. */
const ORG_IDP_ID = '00o1n8sbwArJ7OQRw406';

export interface TokenResponse {
  token_type: 'Bearer';
  expires_in: number;
  access_token: string;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

/** What every mint needs: where, for whom, and the clock. */
export interface MintContext {
  server: AuthServer;
  issuer: string;
  orgUrl: string;
  account: UserAccount;
  grants: GrantStore;
  nowMs: number;
}

const jti = (prefix: 'AT' | 'ID'): string => `${prefix}.${randomBytes(32).toString('base64url')}`;

/** OpenID Connect's `at_hash`: the left half of the access token's SHA-256, base64url. */
const atHash = (accessToken: string): string =>
  createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');

/** The claims `userinfo` and the ID token carry for these scopes. */
export function profileClaims(account: UserAccount, scopes: readonly string[]): Record<string, unknown> {
  const { user } = account;
  return {
    ...(scopes.includes('profile')
      ? {
          name: `${user.profile.firstName} ${user.profile.lastName}`,
          given_name: user.profile.firstName,
          family_name: user.profile.lastName,
          preferred_username: user.profile.login,
          locale: 'en_US',
          zoneinfo: 'America/Los_Angeles',
          updated_at: Math.floor(Date.parse(user.lastUpdated) / 1000),
        }
      : {}),
    ...(scopes.includes('email') ? { email: user.profile.email, email_verified: true } : {}),
  };
}

export async function mintTokens(context: MintContext, grant: Grant): Promise<TokenResponse> {
  const { server, issuer, orgUrl, account, grants } = context;
  const iat = Math.floor(context.nowMs / 1000);
  const accessToken = await server.key.sign({
    ver: 1,
    jti: jti('AT'),
    iss: issuer,
    aud: server.audience(orgUrl),
    iat,
    exp: iat + ACCESS_TOKEN_LIFETIME_S,
    cid: grant.clientId,
    uid: account.user.id,
    scp: grant.scopes,
    auth_time: grant.authTime,
    sub: grant.login,
  });
  const answer: TokenResponse = { token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME_S, access_token: accessToken, scope: grant.scopes.join(' ') };
  if (grant.scopes.includes('openid')) {
    answer.id_token = await server.key.sign({
      sub: account.user.id,
      ...profileClaims(account, grant.scopes),
      ver: 1,
      iss: issuer,
      aud: grant.clientId,
      iat,
      exp: iat + ID_TOKEN_LIFETIME_S,
      jti: jti('ID'),
      amr: ['pwd'],
      idp: ORG_IDP_ID,
      ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      auth_time: grant.authTime,
      at_hash: atHash(accessToken),
    });
  }
  if (grant.scopes.includes('offline_access')) answer.refresh_token = grants.issueRefreshToken(grant);
  return answer;
}

/** An access token's claims while it is valid here (signature, issuer, lifetime, not revoked). */
export async function liveAccessToken(context: MintContext, token: string): Promise<JWTPayload | undefined> {
  const claims = await context.server.key.verify(token, context.issuer, context.nowMs);
  if (claims === undefined || typeof claims.jti !== 'string' || !claims.jti.startsWith('AT.')) return undefined;
  return context.grants.isAccessTokenRevoked(claims.jti) ? undefined : claims;
}
