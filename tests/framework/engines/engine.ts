/**
 * The engine-neutral contract every browser engine implements.
 *
 * Scenarios never talk to Playwright or to the WebKit inspector directly: they get an
 * `Engine` per worker and an `EnginePage` per test, and drive the CORS test page through
 * the page object in `tests/pages/cors-test-page.ts`, which only uses this interface.
 */

import type { SiteAccess } from './site-access.js';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** Whose build of the engine runs: Playwright's downloaded browser, or the system's package. */
export type EngineKind = 'playwright' | 'system';

export interface EngineInfo {
  name: EngineName;
  kind: EngineKind;
  /** The browser's own version string, e.g. "156.0.8078.79" or "WebKitGTK 2.50.6". */
  version: string;
  /** One line for reports: what runs and how it is driven. */
  description: string;
  /** Its third-party-cookie policy and how the topologies' names and CA reach it (./site-access.ts); absent when they cannot. */
  siteAccess?: SiteAccess;
}

/** Something the engine reported while a page ran: console output, an uncaught error, a failed request. */
export interface EngineMessage {
  kind: 'console' | 'page-error' | 'request-failed';
  /** 'error' | 'warning' | 'info' | 'log' | 'debug' (engine's level, lower-cased). */
  level: string;
  text: string;
}

/** A cookie as a server set it (its Set-Cookie attributes), for EnginePage.addCookie. */
export interface EngineCookie {
  /** The address whose answer set it: without `domain` the cookie is this host's alone (host-only). */
  url: string;
  name: string;
  value: string;
  /** The Domain attribute, when the server gave one: the cookie then goes to its subdomains too. */
  domain?: string;
  path: string;
  /** Seconds since the epoch; a session cookie when absent. */
  expires?: number;
  httpOnly: boolean;
  secure: boolean;
  /** The SameSite attribute; absent when the server gave none (each engine's own default applies). */
  sameSite?: 'Strict' | 'Lax' | 'None';
}

/** The domain a jar stores the cookie under: a host-only cookie's bare host, a Domain attribute with its leading dot. */
export const jarDomain = ({ url, domain }: Pick<EngineCookie, 'url' | 'domain'>): string =>
  domain === undefined ? new URL(url).hostname : `.${domain.replace(/^\./, '')}`;

/** How long goto waits for the load event unless told otherwise. */
export const GOTO_TIMEOUT_MS = 15_000;

/** Errors of every EnginePage method are one line starting with the engine's name ("webkit: ..."). */
export interface EnginePage {
  /** Navigates and resolves once the load event fired; rejects on a failed load or after `timeoutMs`. */
  goto(url: string, timeoutMs?: number): Promise<void>;
  /**
   * Evaluates a JavaScript expression in the page and returns its JSON-serialisable value.
   * If the value is a promise, resolves with what it settles to (rejections reject).
   */
  evaluate<T>(expression: string): Promise<T>;
  /** Resolves once `expression` is truthy in the current document (polls; survives navigations). */
  waitForFunction(expression: string, timeoutMs?: number): Promise<void>;
  /** Every message since the page was created, across navigations, in order. */
  messages(): EngineMessage[];
  /**
   * Puts `cookie` in this page's cookie jar as if its server had set it: for tests that need a
   * signed-in browser but are not about signing in (Playwright's storageState pattern).
   */
  addCookie(cookie: EngineCookie): Promise<void>;
  /** PNG of the element matching `selector` (or the viewport), or undefined where the engine cannot take one. */
  screenshot(selector?: string): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

export interface Engine {
  info: EngineInfo;
  /**
   * A fresh page in a fresh state: no cookies, storage, HTTP cache or preflight cache from earlier
   * pages. Works again after the browser died (it is restarted).
   */
  newPage(): Promise<EnginePage>;
  close(): Promise<void>;
}

/** Thrown when an engine cannot start: its message is one line saying what to run. */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}
