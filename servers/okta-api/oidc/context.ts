/** What the OpenID Connect endpoints share: the org's apps, sessions, user, grants and clock. */
import type { Request } from 'express';
import type { SessionTokens } from '../authn.js';
import type { SessionStore } from '../sessions.js';
import type { UserAccount } from '../users.js';
import type { OidcAppRegistry } from './apps.js';
import { issuerOf, orgUrlOf, type AuthServer } from './auth-servers.js';
import type { GrantStore } from './grants.js';
import type { MintContext } from './tokens.js';

export interface OidcContext {
  apps: OidcAppRegistry;
  sessions: SessionStore;
  sessionTokens: SessionTokens;
  grants: GrantStore;
  account: UserAccount;
  /** Milliseconds since the epoch; tests move it to expire codes and tokens without waiting. */
  now: () => number;
}

export const mintContext = (context: OidcContext, server: AuthServer, req: Request): MintContext => ({
  server,
  issuer: issuerOf(server, req),
  orgUrl: orgUrlOf(req),
  account: context.account,
  grants: context.grants,
  nowMs: context.now(),
});

/** A parameter given at most once: its value, undefined when absent, or 'repeated'. */
export function single(source: unknown, name: string): string | undefined | { repeated: true } {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return { repeated: true };
  return typeof value === 'string' && value !== '' ? value : undefined;
}
