/**
 * What the authorization servers remember between calls: authorization codes (single use,
 * 300 s, bound to client, redirect URI and PKCE challenge), refresh tokens (rotated on every
 * use, as Okta does for single-page apps) and revoked access tokens.
 */
import { randomBytes } from 'node:crypto';
import type { AuthServer } from './auth-servers.js';

/** Okta: "The code has a lifetime of 300 seconds." */
export const CODE_LIFETIME_MS = 300_000;
/** Okta's default refresh token lifetime when unused (a policy setting in a real org): 7 days. */
const REFRESH_TOKEN_LIFETIME_MS = 7 * 24 * 3_600_000;

/** Who consented to what, carried from `authorize` into every token issued for it. */
export interface Grant {
  authServer: AuthServer['id'];
  clientId: string;
  login: string;
  scopes: string[];
  /** Seconds since the epoch when the user signed in (`auth_time`). */
  authTime: number;
  nonce?: string;
}

export interface AuthorizationCode extends Grant {
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
}

const opaque = (bytes: number): string => randomBytes(bytes).toString('base64url');

export class GrantStore {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, Grant & { expiresAt: number }>();
  private readonly revokedAccessTokens = new Set<string>();

  constructor(private readonly now: () => number) {}

  issueCode(grant: Grant, redirectUri: string, codeChallenge: string): string {
    this.prune(this.codes);
    const code = opaque(32);
    this.codes.set(code, { ...grant, redirectUri, codeChallenge, expiresAt: this.now() + CODE_LIFETIME_MS });
    return code;
  }

  /** The code's grant, once; undefined when unknown, used or expired. */
  redeemCode(code: string): AuthorizationCode | undefined {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    return entry !== undefined && entry.expiresAt > this.now() ? entry : undefined;
  }

  issueRefreshToken(grant: Grant): string {
    this.prune(this.refreshTokens);
    const token = opaque(32);
    this.refreshTokens.set(token, { ...grant, expiresAt: this.now() + REFRESH_TOKEN_LIFETIME_MS });
    return token;
  }

  /** The refresh token's grant while it is live (it stays usable until `revokeRefreshToken`). */
  findRefreshToken(token: string): (Grant & { expiresAt: number }) | undefined {
    const entry = this.refreshTokens.get(token);
    return entry !== undefined && entry.expiresAt > this.now() ? entry : undefined;
  }

  revokeRefreshToken(token: string): void {
    this.refreshTokens.delete(token);
  }

  revokeAccessToken(jti: string): void {
    this.revokedAccessTokens.add(jti);
  }

  isAccessTokenRevoked(jti: string): boolean {
    return this.revokedAccessTokens.has(jti);
  }

  // Unredeemed entries would otherwise pile up for the life of a long `npm run serve`.
  private prune(map: Map<string, { expiresAt: number }>): void {
    const now = this.now();
    for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
  }
}
