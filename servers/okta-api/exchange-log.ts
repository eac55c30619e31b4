/**
 * What the API server saw: each request (preflights included) with the headers that decide
 * CORS and the CORS headers it answered with. Tests read it to prove what crossed the wire;
 * reports show it. Servers live per worker and a worker runs one test at a time, so a test
 * clears the log when it starts and reads it when it ends.
 */
import type { RequestHandler } from 'express';
import onHeaders from 'on-headers';
import { isPreflight } from './preflight.js';

export interface Exchange {
  at: string;
  method: string;
  /** Path and query, as requested. */
  url: string;
  origin: string | undefined;
  preflight: boolean;
  /** The request headers that matter to CORS. Credentials are never kept: only whether a Cookie came, and Authorization's scheme. */
  requestHeaders: Record<string, string>;
  cookieSent: boolean;
  /** The names of the CORS lab's own cookies (`lab_…`) that came, when any did. */
  labCookies?: string[];
  status: number;
  /** Access-Control-*, Vary, Location and X-Okta-Request-Id as answered. */
  responseHeaders: Record<string, string>;
  /** Set by the CORS lab: which case and which hop of its redirects this exchange belongs to. */
  lab?: LabTag;
}

export interface LabTag {
  case: string;
  hop: number;
}

function labCookies(header: string | undefined): { labCookies?: string[] } {
  const names = (header ?? '').split(';').map((pair) => pair.split('=')[0]?.trim() ?? '').filter((name) => name.startsWith('lab_'));
  return names.length === 0 ? {} : { labCookies: names.sort() };
}

/** What a handler puts in `res.locals.lab` to tag its exchange. */
function isLabTag(value: unknown): value is LabTag {
  const tag = value as Partial<LabTag> | undefined;
  return typeof tag?.case === 'string' && typeof tag.hop === 'number';
}

const REQUEST_HEADERS = /^(origin|access-control-request-.*|content-type|content-length|authorization|x-.*|accept|if-none-match|if-modified-since|cache-control)$/;
const RESPONSE_HEADERS = /^(access-control-.*|vary|x-okta-request-id|location|etag|last-modified)$/;

export class ExchangeLog {
  private list: Exchange[] = [];

  constructor(private readonly limit = 1000) {}

  readonly middleware: RequestHandler = (req, res, next) => {
    // Logged as the headers go out, before any byte reaches the client: a test that has seen the
    // browser react to a response always finds it here ('finish' may come after the client has it).
    onHeaders(res, () => {
      const requestHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (REQUEST_HEADERS.test(name) && value !== undefined) requestHeaders[name] = String(value);
      }
      // Reports are shared: keep the scheme of a credential, never the credential.
      if (requestHeaders.authorization !== undefined) {
        requestHeaders.authorization = `${requestHeaders.authorization.split(' ')[0] ?? ''} <redacted>`;
      }
      const responseHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.getHeaders())) {
        if (RESPONSE_HEADERS.test(name) && value !== undefined) {
          responseHeaders[name] = Array.isArray(value) ? value.join(', ') : String(value);
        }
      }
      this.list.push({
        at: new Date().toISOString(),
        method: req.method,
        // A one-time session token in a URL is a credential too.
        url: req.originalUrl.replace(/([?&]token=)[^&]*/g, '$1<redacted>'),
        origin: req.headers.origin,
        preflight: isPreflight(req),
        ...(isLabTag(res.locals.lab) ? { lab: res.locals.lab } : {}),
        requestHeaders,
        cookieSent: (req.headers.cookie ?? '') !== '',
        ...labCookies(req.headers.cookie),
        status: res.statusCode,
        responseHeaders,
      });
      // Bounded so a long manual `npm run serve` session cannot grow without end.
      if (this.list.length > this.limit) this.list.splice(0, this.list.length - this.limit);
    });
    next();
  };

  entries(): Exchange[] {
    return [...this.list];
  }

  clear(): void {
    this.list = [];
  }
}
