/**
 * OAuth 2.0 errors as Okta's authorization servers answer them: `{error, error_description}`
 * in JSON from the API endpoints, in the redirect (or the iframe's message) from `authorize`,
 * and as a page when the browser cannot be sent back (unknown client or redirect URI).
 */
import type { Response } from 'express';

export interface OAuthErrorBody {
  error: string;
  error_description: string;
}

export const oauthError = (error: string, description: string): OAuthErrorBody => ({ error, error_description: description });

/** The OAuth errors the mock answers, worded as Okta's. */
export const OAuthErrors = {
  invalidClient: () => oauthError('invalid_client', "Invalid value for 'client_id' parameter."),
  redirectUriNotRegistered: () =>
    oauthError('invalid_request', "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings."),
  postLogoutRedirectUriNotRegistered: () =>
    oauthError('invalid_request', "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings."),
  missing: (name: string) => oauthError('invalid_request', `The '${name}' parameter is required.`),
  repeated: (name: string) => oauthError('invalid_request', `The '${name}' parameter is given more than once.`),
  responseType: (given: string) =>
    oauthError('unsupported_response_type', `The response type is not supported by the authorization server. Configured response types: [code]. Got '${given}'.`),
  responseMode: (given: string) =>
    oauthError('invalid_request', `The 'response_mode' parameter is invalid: '${given}'. Use query, fragment or okta_post_message.`),
  invalidScope: (scopes: string[]) =>
    oauthError('invalid_scope', `One or more scopes are not configured for the authorization server resource: ${scopes.join(' ')}.`),
  pkceRequired: () =>
    oauthError('invalid_request', "PKCE code challenge is required when the token endpoint authentication method is 'NONE'."),
  challengeMethod: () => oauthError('invalid_request', "The 'code_challenge_method' parameter is invalid: use S256."),
  loginRequired: () => oauthError('login_required', 'The client specified not to prompt, but the user is not logged in.'),
  unsupportedGrant: (given: string) =>
    oauthError('unsupported_grant_type', `The authorization grant type is not supported by the authorization server: '${given}'. Configured grant types: [authorization_code, refresh_token].`),
  invalidCode: () => oauthError('invalid_grant', 'The authorization code is invalid or has expired.'),
  redirectUriMismatch: () =>
    oauthError('invalid_grant', "The 'redirect_uri' does not match the redirection URI used in the authorization request."),
  pkceFailed: () => oauthError('invalid_grant', 'PKCE verification failed.'),
  invalidRefreshToken: () => oauthError('invalid_grant', 'The refresh token is invalid or expired.'),
  formBody: () =>
    oauthError('invalid_request', 'Send the parameters as a form: Content-Type: application/x-www-form-urlencoded.'),
  invalidToken: () => oauthError('invalid_token', 'The access token is invalid.'),
  invalidIdTokenHint: () => oauthError('invalid_request', "The 'id_token_hint' parameter is not a valid ID token of this authorization server."),
} as const;

export function sendOAuthError(res: Response, status: number, body: OAuthErrorBody): void {
  res.status(status).set('Cache-Control', 'no-store').json(body);
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Okta's error page for an `authorize` or `logout` request it cannot send back. */
export function sendOAuthErrorPage(res: Response, body: OAuthErrorBody): void {
  res
    .status(400)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>400 Bad Request - mock Okta org</title></head>
<body><h1>400 Bad Request</h1>
<dl id="oauth-error" data-error="${escapeHtml(body.error)}">
<dt>Error Code</dt><dd id="oauth-error-code">${escapeHtml(body.error)}</dd>
<dt>Description</dt><dd id="oauth-error-description">${escapeHtml(body.error_description)}</dd>
</dl></body></html>`);
}
