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
  /** 'done' once the page has rendered a run's outcome. */
  state: string | null;
  outcome: 'readable' | 'blocked' | 'opaque' | null;
  status: number | null;
  run: number | null;
  summary: string;
  body: string | null;
  /** Header name (lower-case) → shown value, or null when shown as not readable. */
  headers: Record<string, string | null>;
  error: string | null;
}

/** What #probe-result shows, read in the page. */
const READ_SHOWN = `() => {
  const box = document.getElementById('probe-result');
  const headers = {};
  for (const dd of box.querySelectorAll('dd[data-header]')) {
    headers[dd.dataset.header] = dd.dataset.readable === 'true' ? dd.textContent : null;
  }
  const number = (v) => (v === undefined ? null : Number(v));
  return {
    state: box.dataset.state ?? null,
    outcome: box.dataset.outcome ?? null,
    status: number(box.dataset.status),
    run: number(box.dataset.run),
    summary: box.querySelector('.probe-summary')?.textContent ?? '',
    body: box.querySelector('.probe-body')?.textContent ?? null,
    headers,
    error: box.querySelector('.probe-error')?.textContent ?? null,
  };
}`;

export class CorsProbePage {
  constructor(readonly page: EnginePage) {}

  /** Where the probe page lives on `siteUrl`. */
  url(siteUrl: string): string {
    return `${siteUrl}/probe.html`;
  }

  /**
   * Runs one request and reads what the page then shows, in one evaluation: the probe renders its
   * outcome before its promise settles, so the page shows it by the time the result comes back.
   * The script is loaded by then too: it is a blocking script of the page, and goto waits for load.
   */
  async run(request: ProbeRequest): Promise<{ result: ProbeResult; shown: ProbeShown }> {
    const { result, shown } = await this.page.evaluate<{ result: ProbeResult; shown: ProbeShown }>(`(() => {
      if (typeof window.corsProbe !== 'object') throw new Error('the probe script is not loaded');
      return window.corsProbe.run(${JSON.stringify(request)}).then((result) => ({ result, shown: (${READ_SHOWN})() }));
    })()`);
    if (shown.state !== 'done' || shown.run !== result.run) {
      throw new Error(`the probe page shows run ${String(shown.run)} (${String(shown.state)}), not the finished run ${result.run}`);
    }
    return { result, shown };
  }

  messages(): EngineMessage[] {
    return this.page.messages();
  }
}
