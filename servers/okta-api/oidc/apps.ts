/**
 * The org's OpenID Connect applications. One by default: a single-page app (public client,
 * token endpoint auth method `none`, PKCE required), as Okta's "SPA" app integration creates.
 */
import { randomBytes } from 'node:crypto';

const GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;
type GrantType = (typeof GRANT_TYPES)[number];

export interface OidcApp {
  /** Okta's look: `0oa` and 17 more characters. */
  clientId: string;
  label: string;
  applicationType: 'browser';
  tokenEndpointAuthMethod: 'none';
  grantTypes: readonly GrantType[];
  /** Sign-in redirect URIs: `authorize` accepts exactly these. */
  redirectUris: readonly string[];
  /** Sign-out redirect URIs: `logout` accepts exactly these. */
  postLogoutRedirectUris: readonly string[];
}

export interface OidcAppSettings {
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  /** Fixed when given (a person's saved configuration); random per start otherwise. */
  clientId?: string;
}

export function singlePageApp(settings: OidcAppSettings): OidcApp {
  return {
    clientId: settings.clientId ?? `0oa${randomBytes(16).toString('base64url').replace(/[-_]/g, 'x').slice(0, 17)}`,
    label: 'CORS conformance SPA',
    applicationType: 'browser',
    tokenEndpointAuthMethod: 'none',
    grantTypes: GRANT_TYPES,
    redirectUris: settings.redirectUris,
    postLogoutRedirectUris: settings.postLogoutRedirectUris,
  };
}

export class OidcAppRegistry {
  private readonly apps = new Map<string, OidcApp>();

  constructor(apps: readonly OidcApp[]) {
    for (const app of apps) this.apps.set(app.clientId, app);
  }

  find(clientId: unknown): OidcApp | undefined {
    return typeof clientId === 'string' ? this.apps.get(clientId) : undefined;
  }
}
