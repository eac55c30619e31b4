/**
 * The CORS test page and the org's sign-in page, as a person uses them: engine-neutral,
 * built only on `EnginePage`, so every scenario runs unchanged in every engine.
 */
import type { EngineMessage, EnginePage } from '../framework/engines/engine.js';

export const CLIENTS = ['xhr', 'jquery', 'fetch'] as const;
export type Client = (typeof CLIENTS)[number];

const PROFILE_FIELDS = [
  'id',
  'status',
  'login',
  'email',
  'firstName',
  'lastName',
  'mobilePhone',
  'created',
  'lastUpdated',
  'lastLogin',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export type TestResult =
  | { outcome: 'profile'; profile: Record<ProfileField, string> }
  | { outcome: 'error'; title: string; message: string };

/** The seed's texts for a blocked call, for a page served at `siteOrigin`. */
export const blockedMessage = (siteOrigin: string) => ({
  title: 'Invalid URL or Cross-Origin Request Blocked',
  message: `You must explicitly add this site (${siteOrigin}) to the list of allowed websites in your Okta Admin Dashboard`,
});
export const LOGIN_HINT = 'Please login to your Okta organization before running the test';

const js = (value: unknown): string => JSON.stringify(value);

export class CorsTestPage {
  constructor(readonly page: EnginePage) {}

  /** Signs in on the org's own sign-in page, which sets the HttpOnly session cookie. */
  async signIn(apiUrl: string, login: string, password: string): Promise<void> {
    await this.page.goto(`${apiUrl}/login`);
    // Submit after this evaluation returns, so the navigation does not race the reply.
    await this.page.evaluate(`(() => {
      document.getElementById('username').value = ${js(login)};
      document.getElementById('password').value = ${js(password)};
      setTimeout(() => document.getElementById('sign-in').requestSubmit(), 0);
      return true;
    })()`);
    await this.page.waitForFunction(
      `document.readyState === 'complete' && (document.getElementById('signed-in') || document.getElementById('sign-in-error'))`,
    );
    const signedInAs = await this.page.evaluate<string | null>(
      `document.getElementById('signed-in')?.dataset.login ?? null`,
    );
    if (signedInAs !== login) {
      const error = await this.page.evaluate<string>(`document.getElementById('sign-in-error')?.textContent ?? ''`);
      throw new Error(`sign-in as ${login} at ${apiUrl} failed: ${error || 'no confirmation page'}`);
    }
  }

  /** Opens the CORS test page served at `siteUrl`. */
  async open(siteUrl: string): Promise<void> {
    await this.page.goto(`${siteUrl}/`);
  }

  async fillOrgUrl(orgUrl: string): Promise<void> {
    await this.page.evaluate(`document.getElementById('input-orgUrl').value = ${js(orgUrl)}`);
  }

  async chooseClient(client: Client): Promise<void> {
    await this.page.evaluate(`document.getElementById('input-client').value = ${js(client)}`);
  }

  /** Clicks Test and waits until the page shows a result. */
  async clickTest(): Promise<TestResult> {
    await this.page.evaluate(`document.getElementById('button-test').click()`);
    await this.page.waitForFunction(`document.getElementById('cors-test-result').dataset.state === 'done'`);
    return this.readResult();
  }

  /** The whole seed flow on the page: org URL, client, Test. */
  async test(siteUrl: string, orgUrl: string, client: Client): Promise<TestResult> {
    await this.open(siteUrl);
    await this.fillOrgUrl(orgUrl);
    await this.chooseClient(client);
    return this.clickTest();
  }

  readResult(): Promise<TestResult> {
    return this.page.evaluate<TestResult>(`(() => {
      const result = document.getElementById('cors-test-result');
      if (result.dataset.outcome === 'profile') {
        const profile = {};
        for (const dd of result.querySelectorAll('dd[data-field]')) profile[dd.dataset.field] = dd.textContent;
        return { outcome: 'profile', profile };
      }
      return {
        outcome: 'error',
        title: result.querySelector('.cors-error-title')?.textContent ?? '',
        message: result.querySelector('.cors-error-message')?.textContent ?? '',
      };
    })()`);
  }

  messages(): EngineMessage[] {
    return this.page.messages();
  }
}
