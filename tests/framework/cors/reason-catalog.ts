/**
 * Names why an engine blocked a cross-origin read, whatever words the engine used.
 *
 * Each engine prints its own sentence (see the rules below); the suite asserts on reason
 * codes so that one expectation holds for all engines. A CORS message no rule knows yields
 * `unrecognized` with the raw text kept: tests then fail and show it, never pass silently.
 *
 * The rules are data: per engine, a test for "this is a CORS block message", a parser that
 * splits off URL/origin, and an ordered list of (pattern → reason). The texts were checked
 * against messages captured from the engines (tests/framework/cors/captured-messages/, made by capture-messages.ts).
 */
import type { EngineMessage, EngineName } from '../engines/engine.js';

export const REASON_CODES = [
  /** No Access-Control-Allow-Origin at all (WebKit also words a mismatch this way). */
  'missing-allow-origin',
  /** ACAO names another origin. */
  'allow-origin-mismatch',
  /** ACAO carries several values (two headers, or a comma list). */
  'multiple-allow-origin',
  /** ACAO is not an origin at all (empty, malformed). */
  'invalid-allow-origin',
  /** ACAO `*` on a request with credentials. */
  'wildcard-with-credentials',
  /** Access-Control-Allow-Credentials missing or not exactly `true`. */
  'allow-credentials-not-true',
  /** The preflight answered with a status outside 200–299. */
  'preflight-status-not-ok',
  /** The method is not in Access-Control-Allow-Methods. */
  'method-not-allowed',
  /** A request header is not in Access-Control-Allow-Headers. */
  'header-not-allowed',
  /** Access-Control-Allow-Methods cannot be parsed. */
  'invalid-allow-methods',
  /** Access-Control-Allow-Headers cannot be parsed. */
  'invalid-allow-headers',
  /** The preflight answered with a redirect. */
  'preflight-redirect-not-allowed',
  /** Firefox's follow-up after a failed preflight: the request itself never got a response. */
  'request-did-not-succeed',
  'unrecognized',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
export type KnownReason = Exclude<ReasonCode, 'unrecognized'>;

export interface CorsBlock {
  reason: ReasonCode;
  /** The request's URL when the message names it. */
  url?: string;
  /** The page's origin when the message names it (Firefox's messages never do). */
  origin?: string;
  /** The message as the engine printed it. */
  raw: string;
}

export interface Rule {
  reason: KnownReason;
  pattern: RegExp;
}

/** Recognises that a message is about CORS at all, and pulls out URL and origin. */
export interface EngineDialect {
  isCorsMessage(text: string): boolean;
  /** The reason part, URL and origin of a CORS message. */
  parse(text: string): { detail: string; url?: string; origin?: string };
  /** Tried in order; the first match names the reason. */
  rules: Rule[];
}

// Chromium: "Access to <XMLHttpRequest|fetch> at '<url>' [(redirected from '<url0>') ]from origin
// '<origin>' has been blocked by CORS policy: [Response to preflight request doesn't pass access
// control check: ]<reason>". Preflight failures share the reasons of the actual response.
const chromium: EngineDialect = {
  isCorsMessage: (text) => /has been blocked by CORS policy/.test(text),
  parse: (text) => {
    const m = /^Access to (?:XMLHttpRequest|fetch) at '([^']*)'(?: \(redirected from '[^']*'\))? from origin '([^']*)' has been blocked by CORS policy: (.*)$/s.exec(text);
    return m ? { url: m[1], origin: m[2], detail: m[3] ?? '' } : { detail: text };
  },
  rules: [
    { reason: 'missing-allow-origin', pattern: /No 'Access-Control-Allow-Origin' header is present on the requested resource/ },
    { reason: 'allow-origin-mismatch', pattern: /The 'Access-Control-Allow-Origin' header has a value '.*' that is not equal to the supplied origin/s },
    { reason: 'multiple-allow-origin', pattern: /The 'Access-Control-Allow-Origin' header contains multiple values '.*', but only one is allowed/s },
    { reason: 'invalid-allow-origin', pattern: /The 'Access-Control-Allow-Origin' header contains the invalid value '.*'/s },
    { reason: 'wildcard-with-credentials', pattern: /The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '\*' when the request's credentials mode is 'include'/ },
    { reason: 'allow-credentials-not-true', pattern: /The value of the 'Access-Control-Allow-Credentials' header in the response is '.*' which must be 'true' when the request's credentials mode is 'include'/s },
    { reason: 'preflight-status-not-ok', pattern: /^Response to preflight request doesn't pass access control check: It does not have HTTP ok status\.$/ },
    { reason: 'preflight-redirect-not-allowed', pattern: /^Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request\.$/ },
    { reason: 'method-not-allowed', pattern: /^Method \S+ is not allowed by Access-Control-Allow-Methods in preflight response\.$/ },
    { reason: 'header-not-allowed', pattern: /^Request header field \S+ is not allowed by Access-Control-Allow-Headers in preflight response\.$/ },
    { reason: 'invalid-allow-methods', pattern: /^Cannot parse Access-Control-Allow-Methods response header field in preflight response\.$/ },
    { reason: 'invalid-allow-headers', pattern: /^Cannot parse Access-Control-Allow-Headers response header field in preflight response\.$/ },
  ],
};

// Firefox: "[Cross-Origin Request Blocked: ]The Same Origin Policy disallows reading the remote
// resource at <url>. (Reason: <reason>)[. Status code: N.]". Over BiDi the prefix arrives as the
// error's name; the engine adapter puts it back in front. Quotes are typographic (‘ ’).
const firefox: EngineDialect = {
  isCorsMessage: (text) => /Same Origin Policy disallows reading the remote resource/.test(text),
  parse: (text) => {
    // The URL comes bare, or in ‘ ’ (the wildcard-with-credentials message).
    const m = /disallows reading the remote resource at (?:‘([^’]*)’|(\S+?))\. \(Reason: (.*)$/s.exec(text);
    return m ? { url: m[1] ?? m[2], detail: m[3] ?? '' } : { detail: text };
  },
  rules: [
    { reason: 'missing-allow-origin', pattern: /^CORS header ‘Access-Control-Allow-Origin’ missing\)/ },
    { reason: 'multiple-allow-origin', pattern: /^Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed\)/ },
    { reason: 'allow-origin-mismatch', pattern: /^CORS header ‘Access-Control-Allow-Origin’ does not match ‘.*’\)/s },
    { reason: 'wildcard-with-credentials', pattern: /^Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘\*’\)/ },
    { reason: 'allow-credentials-not-true', pattern: /^expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’\)/ },
    { reason: 'preflight-status-not-ok', pattern: /^CORS preflight response did not succeed\)\. Status code: \d+\.$/ },
    { reason: 'method-not-allowed', pattern: /^Did not find method in CORS header ‘Access-Control-Allow-Methods’\)/ },
    { reason: 'header-not-allowed', pattern: /^header ‘[^’]*’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response\)/ },
    { reason: 'invalid-allow-methods', pattern: /^invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Methods’\)/s },
    { reason: 'invalid-allow-headers', pattern: /^invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Headers’\)/s },
    { reason: 'preflight-redirect-not-allowed', pattern: /^CORS request external redirect not allowed\)/ },
    { reason: 'request-did-not-succeed', pattern: /^CORS request did not succeed\)/ },
  ],
};

// WebKit prints the reason, then "<API> cannot load <url> due to access control checks.",
// which carries no reason and so is not classified on its own (corsBlocks pairs the two).
// Its network log repeats the reason as "Failed to load resource: <reason>": skipped too.
const WEBKIT_REASONS: Rule[] = [
  // WebKit says this both when ACAO is missing and when it names another origin.
  { reason: 'missing-allow-origin', pattern: /^Origin \S+ is not allowed by Access-Control-Allow-Origin\.(?: Status code: \d+)?$/ },
  { reason: 'multiple-allow-origin', pattern: /^Access-Control-Allow-Origin cannot contain more than one origin\.(?: Status code: \d+)?$/ },
  { reason: 'wildcard-with-credentials', pattern: /^Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true\.(?: Status code: \d+)?$/ },
  { reason: 'allow-credentials-not-true', pattern: /^Credentials flag is true, but Access-Control-Allow-Credentials is not "true"\.(?: Status code: \d+)?$/ },
  { reason: 'preflight-status-not-ok', pattern: /^Preflight response is not successful\.(?: Status code: \d+)?$/ },
  { reason: 'method-not-allowed', pattern: /^Method \S+ is not allowed by Access-Control-Allow-Methods\.(?: Status code: \d+)?$/ },
  { reason: 'header-not-allowed', pattern: /^Request header field \S+ is not allowed by Access-Control-Allow-Headers\.(?: Status code: \d+)?$/ },
  { reason: 'invalid-allow-methods', pattern: /^Header Access-Control-Allow-Methods has an invalid value: .*$/s },
  { reason: 'invalid-allow-headers', pattern: /^Header Access-Control-Allow-Headers has an invalid value: .*$/s },
];

const webkit: EngineDialect = {
  isCorsMessage: (text) =>
    !text.startsWith('Failed to load resource:') && WEBKIT_MESSAGE.test(text),
  parse: (text) => {
    const m = /^Origin (\S+) is not allowed by Access-Control-Allow-Origin/.exec(text);
    return m ? { origin: m[1], detail: text } : { detail: text };
  },
  rules: WEBKIT_REASONS,
};

/** What makes a WebKit message a CORS one: the header names its access checks talk about, or a preflight. */
const WEBKIT_MESSAGE = /Access-Control-Allow-|Preflight response|preflight/;

export const DIALECTS: Readonly<Record<EngineName, EngineDialect>> = { chromium, firefox, webkit };

export function classify(engine: EngineName, text: string): CorsBlock | undefined {
  const dialect = DIALECTS[engine];
  if (!dialect.isCorsMessage(text)) return undefined;
  const { detail, url, origin } = dialect.parse(text);
  const rule = dialect.rules.find((r) => r.pattern.test(detail));
  return {
    reason: rule?.reason ?? 'unrecognized',
    ...(url === undefined ? {} : { url }),
    ...(origin === undefined ? {} : { origin }),
    raw: text,
  };
}

/** Whether the engine's block message names the page's origin (Firefox's never does). */
export const NAMES_ORIGIN: Record<EngineName, boolean> = { chromium: true, firefox: false, webkit: true };

const WEBKIT_CANNOT_LOAD = /^(?:XMLHttpRequest|Fetch API) cannot load (\S+) due to access control checks\.$/;

/**
 * Every CORS block among an engine's messages, in order. WebKit names the URL in a second
 * message ("… cannot load <url> due to access control checks."); it completes the block before it.
 */
export function corsBlocks(engine: EngineName, messages: readonly EngineMessage[]): CorsBlock[] {
  const blocks: CorsBlock[] = [];
  for (const message of messages) {
    const block = classify(engine, message.text);
    if (block !== undefined) {
      blocks.push(block);
      continue;
    }
    const last = blocks.at(-1);
    const cannotLoad = engine === 'webkit' ? WEBKIT_CANNOT_LOAD.exec(message.text) : null;
    if (cannotLoad && last !== undefined && last.url === undefined && cannotLoad[1] !== undefined) last.url = cannotLoad[1];
  }
  return blocks;
}
