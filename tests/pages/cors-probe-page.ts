/**
 * The CORS probe page (servers/website/public/probe.html): runs one cross-origin request
 * described as data and reports what the page could read. Engine-neutral, built on EnginePage.
 */
import type { EngineMessage, EnginePage } from '../framework/engines/engine.js';

export type ProbeClient = 'xhr' | 'sync-xhr' | 'fetch';
/**
 * Where the request runs: the page itself; an `<iframe sandbox="allow-scripts">` or a `data:` URL
 * frame (both opaque origins: `Origin: null`); a dedicated worker (the page's origin).
 */
export type ProbeContext = 'page' | 'sandboxed' | 'data-iframe' | 'worker';

export interface ProbeRequest {
  client: ProbeClient;
  url: string;
  method: string;
  headers: Record<string, string>;
  /** 'include' sends cookies (XHR withCredentials); 'omit' sends none. */
  credentials: 'include' | 'omit';
  body?: string;
  /** Response headers the page tries to read (getResponseHeader / headers.get). */
  readHeaders: string[];
  context?: ProbeContext;
  /** fetch's mode (default `cors`). */
  mode?: 'cors' | 'no-cors' | 'same-origin';
  /** XHR's open(method, url, async, user, password). */
  user?: string;
  password?: string;
  /** An XHR upload listener (it forces a preflight). */
  uploadListener?: boolean;
  /** fetch's cache mode (default `default`); `no-cache` revalidates a stored response. */
  cache?: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache';
}

/** What the script got back. */
export interface ProbeResult {
  readable: boolean;
  /** A `no-cors` fetch's opaque response: nothing readable, and no error. */
  opaque: boolean;
  /** The response's final URL (after redirects) as the page sees it; '' when blocked. */
  responseUrl: string;
  status: number;
  body: string | null;
  /** Each asked-for header: its value, or null when the page may not read it. */
  headers: Record<string, string | null>;
  /** Every response header name the page could see, lower-case, sorted. */
  headerNames: string[];
  error: string | null;
  /** The origin the request ran from ("null" in the sandboxed frame). */
  origin: string;
  run: number;
}

/** What the page shows in #probe-result. */
export interface ProbeShown {
  outcome: 'readable' | 'blocked' | 'opaque' | null;
  status: number | null;
  run: number | null;
  summary: string;
  body: string | null;
  /** Header name (lower-case) → shown value, or null when shown as not readable. */
  headers: Record<string, string | null>;
  error: string | null;
}

export class CorsProbePage {
  constructor(readonly page: EnginePage) {}

  /** Where the probe page lives on `siteUrl`. */
  url(siteUrl: string): string {
    return `${siteUrl}/probe.html`;
  }

  /** Resolves once the page's probe script is ready to run requests. */
  async ready(): Promise<void> {
    await this.page.waitForFunction(`typeof window.corsProbe === 'object'`);
  }

  /** Runs one request and waits until the page shows its outcome. */
  async run(request: ProbeRequest): Promise<{ result: ProbeResult; shown: ProbeShown }> {
    const result = await this.page.evaluate<ProbeResult>(`window.corsProbe.run(${JSON.stringify(request)})`);
    await this.page.waitForFunction(
      `document.getElementById('probe-result').dataset.state === 'done' && document.getElementById('probe-result').dataset.run === ${JSON.stringify(String(result.run))}`,
    );
    return { result, shown: await this.readShown() };
  }

  readShown(): Promise<ProbeShown> {
    return this.page.evaluate<ProbeShown>(`(() => {
      const box = document.getElementById('probe-result');
      const headers = {};
      for (const dd of box.querySelectorAll('dd[data-header]')) {
        headers[dd.dataset.header] = dd.dataset.readable === 'true' ? dd.textContent : null;
      }
      const number = (v) => (v === undefined ? null : Number(v));
      return {
        outcome: box.dataset.outcome ?? null,
        status: number(box.dataset.status),
        run: number(box.dataset.run),
        summary: box.querySelector('.probe-summary')?.textContent ?? '',
        body: box.querySelector('.probe-body')?.textContent ?? null,
        headers,
        error: box.querySelector('.probe-error')?.textContent ?? null,
      };
    })()`);
  }

  messages(): EngineMessage[] {
    return this.page.messages();
  }
}
