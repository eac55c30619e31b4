/**
 * Browser sessions of the mock org: the HttpOnly cookie a person gets by signing in on the
 * org's own page (the seed's "sign in to your Okta organization in another tab").
 */
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'sid';

export class SessionStore {
  private readonly sessions = new Map<string, { login: string }>();

  create(login: string): string {
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, { login });
    return id;
  }

  find(id: string | undefined): { login: string } | undefined {
    return id === undefined ? undefined : this.sessions.get(id);
  }

  end(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }
}
