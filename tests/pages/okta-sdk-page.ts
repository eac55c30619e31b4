/**
 * The Okta SDK page (servers/website/public/sdk.html) as a person uses it: fill the org and
 * the credentials, click a step, read what okta-auth-js returned. Engine-neutral (EnginePage
 * only); the SDK itself comes in with the page's own <script> tag, never through evaluate.
 */
import type { EngineMessage, EnginePage } from '../framework/engines/engine.js';

const SDK_STEPS = [
  'sign-in', 'session-cookie', 'session-exists', 'session-get', 'session-refresh', 'tokens-silent', 'tokens-redirect',
  'redirect-finish', 'redirect-wrong-verifier', 'user-info', 'revoke', 'user-info-revoked', 'session-close', 'sign-out',
] as const;
export type SdkStep = (typeof SDK_STEPS)[number];

/** What an SDK call threw, as the page shows it. */
interface SdkError {
  name: string;
  errorCode: string | null;
  errorSummary: string;
  status: number | null;
}

export type SdkResult = { outcome: 'ok'; value: unknown } | { outcome: 'error'; error: SdkError };

/** Okta's error page, where a redirect flow ends when the org cannot send the browser back. */
export interface OrgErrorPage {
  url: string;
  error: string;
  description: string;
}

export interface SdkPageSettings {
  /** The org's URL: the page's issuer is its default authorization server. */
  orgUrl: string;
  clientId: string;
  /** The sign-in redirect URI the SDK asks for; the page's /login/callback when left out. */
  redirectUri?: string;
}

const js = (value: unknown): string => JSON.stringify(value);
const resultsOf = (step: SdkStep): string => `document.querySelectorAll('#sdk-results li[data-step=${js(step)}]')`;

export class OktaSdkPage {
  constructor(readonly page: EnginePage) {}

  /** The SDK page's address at `siteUrl`, set up for the org's app. */
  static url(siteUrl: string, settings: SdkPageSettings): string {
    const query = new URLSearchParams({ org: settings.orgUrl, clientId: settings.clientId, ...(settings.redirectUri ? { redirectUri: settings.redirectUri } : {}) });
    return `${siteUrl}/sdk.html?${query.toString()}`;
  }

  /** Opens the SDK page at `siteUrl` set up for the org's app. */
  async open(siteUrl: string, settings: SdkPageSettings): Promise<void> {
    await this.page.goto(OktaSdkPage.url(siteUrl, settings));
    await this.page.waitForFunction(`document.body?.dataset.ready === 'true'`);
  }

  async fillCredentials(login: string, password: string): Promise<void> {
    await this.page.evaluate(`(() => {
      document.getElementById('input-username').value = ${js(login)};
      document.getElementById('input-password').value = ${js(password)};
      return true;
    })()`);
  }

  /** Clicks the step's button and returns the result it adds. */
  async run(step: SdkStep): Promise<SdkResult> {
    const before = await this.page.evaluate<number>(`${resultsOf(step)}.length`);
    await this.click(step);
    await this.page.waitForFunction(`${resultsOf(step)}.length > ${before}`);
    return this.lastResult(step);
  }

  /**
   * Clicks a step that leaves the page (a redirect flow) and waits until the browser is back
   * on the SDK page with the step's result, or on the org's error page.
   */
  async runThroughRedirect(step: SdkStep): Promise<SdkResult | OrgErrorPage> {
    await this.click(step);
    await this.page.waitForFunction(
      `document.readyState === 'complete' && (document.getElementById('oauth-error') !== null || (document.body?.dataset.ready === 'true' && ${resultsOf(step)}.length > 0))`,
    );
    const errorPage = await this.page.evaluate<OrgErrorPage | null>(`(() => {
      const page = document.getElementById('oauth-error');
      return page === null ? null : {
        url: location.href,
        error: document.getElementById('oauth-error-code').textContent,
        description: document.getElementById('oauth-error-description').textContent,
      };
    })()`);
    return errorPage ?? this.lastResult(step);
  }

  /** The step's latest result on the page. */
  lastResult(step: SdkStep): Promise<SdkResult> {
    return this.page.evaluate<SdkResult>(`(() => {
      const items = ${resultsOf(step)};
      const item = items[items.length - 1];
      const value = JSON.parse(item.dataset.result);
      return item.dataset.outcome === 'ok' ? { outcome: 'ok', value } : { outcome: 'error', error: value };
    })()`);
  }

  /** Where the browser is now. */
  url(): Promise<string> {
    return this.page.evaluate<string>('location.href');
  }

  messages(): EngineMessage[] {
    return this.page.messages();
  }

  private async click(step: SdkStep): Promise<void> {
    // Clicked after this evaluation returns, so a navigation the step starts does not race the reply.
    await this.page.evaluate(`(() => {
      const button = document.querySelector('button[data-step=${js(step)}]');
      if (button === null) throw new Error('no button for step ' + ${js(step)});
      setTimeout(() => button.click(), 0);
      return true;
    })()`);
  }
}
