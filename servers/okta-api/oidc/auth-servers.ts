/**
 * The org's two kinds of authorization server, as Okta has them: the "default" custom server
 * (issuer `{org}/oauth2/default`, endpoints under `/oauth2/default/v1`) and the org server
 * (issuer `{org}`, endpoints under `/oauth2/v1`). Each signs with its own key.
 */
import type { Request } from 'express';
import { SigningKey } from './keys.js';

export interface AuthServer {
  id: 'default' | 'org';
  /** The issuer's path under the org's URL ('' for the org server: its issuer is the org URL). */
  issuerPath: string;
  endpointsPath: string;
  /** Where its discovery document lives. */
  metadataPath: string;
  key: SigningKey;
  /** The `aud` of its access tokens. */
  audience(orgUrl: string): string;
}

export function authServers(): AuthServer[] {
  return [
    {
      id: 'default',
      issuerPath: '/oauth2/default',
      endpointsPath: '/oauth2/default/v1',
      metadataPath: '/oauth2/default/.well-known/openid-configuration',
      key: new SigningKey(),
      audience: () => 'api://default',
    },
    {
      id: 'org',
      issuerPath: '',
      endpointsPath: '/oauth2/v1',
      metadataPath: '/.well-known/openid-configuration',
      key: new SigningKey(),
      audience: (orgUrl) => orgUrl,
    },
  ];
}

/** The org's URL as this request reached it. */
export const orgUrlOf = (req: Request): string => `${req.protocol}://${req.get('host') ?? ''}`;

export const issuerOf = (server: AuthServer, req: Request): string => `${orgUrlOf(req)}${server.issuerPath}`;

/** The scopes every authorization server here knows (Okta's reserved OIDC scopes). */
export const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'] as const;
