/**
 * Names why an engine blocked a cross-origin read, whatever words the engine used.
 *
 * Each engine prints its own sentence (see the rules below); the suite asserts on reason
 * codes so that one expectation holds for all engines. Any message that talks about CORS or
 * access control (CORS_VOCABULARY) and that no rule knows yields `unrecognized` with the raw
 * text kept: tests then fail and show it, never pass silently.
 *
 * The rules are data: per engine, the companion lines that are no block of their own, a parser
 * that splits off URL/origin, and an ordered list of (pattern → reason). The texts were checked
 * against messages captured from the engines (tests/framework/cors/captured-messages/, made by
 * scripts/capture-messages.ts) and, for errors a plain page cannot trigger here, against the
 * engines' source strings (captured-messages/public-sources.json). COVERAGE.md lists them all.
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
  /** The same five failures found on the preflight's answer (Chromium words them apart). */
  'preflight-missing-allow-origin',
  'preflight-allow-origin-mismatch',
  'preflight-multiple-allow-origin',
  'preflight-invalid-allow-origin',
  'preflight-wildcard-with-credentials',
  'preflight-allow-credentials-not-true',
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
  /** A cross-origin redirect to a URL with user name / password (or, in WebKit's wording, a non-HTTP URL). */
  'redirect-url-not-allowed',
  /** The request's mode (`same-origin`) forbids the cross-origin URL. */
  'disallowed-by-mode',
  /** The URL's scheme does not support CORS. */
  'scheme-not-supported',
  /** Firefox's follow-up after a failed preflight: the request itself never got a response. */
  'request-did-not-succeed',
  /** CORS switched off in the browser (Firefox's content.cors.disable). */
  'cors-disabled',
  /** Firefox could not add the Origin header. */
  'origin-header-not-added',
  /** Chromium's internal "the response is invalid". */
  'invalid-response',
  /** Chromium's Private/Local Network Access refusals. */
  'private-network-access',
  /** A warning, not a block: Firefox will stop letting `Allow-Headers: *` cover Authorization. */
  'authorization-not-covered-by-wildcard',
  'unrecognized',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
export type KnownReason = Exclude<ReasonCode, 'unrecognized'>;

/** Reasons that warn but do not block: corsBlocks leaves them out, corsWarnings returns them. */
const WARNING_REASONS: readonly ReasonCode[] = ['authorization-not-covered-by-wildcard'];
/** Firefox's generic follow-up to a failure it names: its place is not fixed, so it goes last. */
const FOLLOW_UP_REASONS: readonly ReasonCode[] = ['request-did-not-succeed'];

export interface CorsBlock {
  reason: ReasonCode;
  /** The request's URL when the message names it. */
  url?: string;
  /** The page's origin when the message names it (Firefox's messages never do). */
  origin?: string;
  /** The message as the engine printed it. */
  raw: string;
}

interface Rule {
  reason: KnownReason;
  pattern: RegExp;
}

/** Recognises that a message is about CORS at all, and pulls out URL and origin. */
export interface EngineDialect {
  /** Messages that use CORS words but are no block of their own (companions of one). */
  companion: RegExp[];
  /** The engine's CORS refusals worded without CORS_VOCABULARY. */
  alsoCors: RegExp[];
  /** The reason part, URL and origin of a CORS message. */
  parse(text: string): { detail: string; url?: string; origin?: string };
  /** Tried in order; the first match names the reason. */
  rules: Rule[];
}

/**
 * What makes a message a CORS one, in any engine's wording: URLs are taken out first (a
 * base64 segment could spell anything). A message with these words that no rule knows fails.
 */
const CORS_VOCABULARY =
  /\bCORS\b|access[- ]control|Cross-Origin Resource Sharing|Same Origin Policy|cross[- ]origin (?:request|redirect)|preflight|request mode/i;
const URLS = /\b[a-z][\w+.-]*:\/\/\S+/gi;

// Chromium: "Access to <XMLHttpRequest|fetch> at '<url>' [(redirected from '<url0>') ]from origin
// '<origin>' has been blocked by CORS policy: [Response to preflight request doesn't pass access
// control check: ]<reason>". The preflight prefix turns five reasons into their preflight codes.
const PREFLIGHT = "Response to preflight request doesn't pass access control check: ";
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const actualOnly = (reason: KnownReason, body: string): Rule => ({ reason, pattern: new RegExp(`^(?!${escaped(PREFLIGHT)})${body}`, 's') });
const preflightOnly = (reason: KnownReason, body: string): Rule => ({ reason, pattern: new RegExp(`^${escaped(PREFLIGHT)}${body}`, 's') });
const both = (reason: KnownReason, preflightReason: KnownReason, body: string): Rule[] => [
  actualOnly(reason, body),
  preflightOnly(preflightReason, body),
];

const chromium: EngineDialect = {
  companion: [],
  // A same-origin-mode request redirected to another origin.
  alsoCors: [/^Unsafe attempt to load URL \S+ from frame with URL \S+\. Domains, protocols and ports must match\./],
  parse: (text) => {
    const m = /^Access to (?:XMLHttpRequest|fetch) at '([^']*)'(?: \(redirected from '([^']*)'\))? from origin '([^']*)' has been blocked by CORS policy: (.*)$/s.exec(text);
    // A redirected request is reported under its last URL; the page asked for the first one.
    if (m) return { url: m[2] ?? m[1], origin: m[3], detail: m[4] ?? '' };
    const mode = /^Fetch API cannot load (\S+)\. (Request mode is .*)$/s.exec(text) ?? /^Unsafe attempt to load URL (\S+) (from frame with URL .*)$/s.exec(text);
    return mode ? { url: mode[1], detail: mode[2] ?? '' } : { detail: text };
  },
  rules: [
    ...both('missing-allow-origin', 'preflight-missing-allow-origin', "No 'Access-Control-Allow-Origin' header is present on the requested resource"),
    ...both('allow-origin-mismatch', 'preflight-allow-origin-mismatch', "The 'Access-Control-Allow-Origin' header has a value '.*' that is not equal to the supplied origin"),
    ...both('multiple-allow-origin', 'preflight-multiple-allow-origin', "The 'Access-Control-Allow-Origin' header contains multiple values '.*', but only one is allowed"),
    ...both('invalid-allow-origin', 'preflight-invalid-allow-origin', "The 'Access-Control-Allow-Origin' header contains the invalid value '.*'"),
    ...both('wildcard-with-credentials', 'preflight-wildcard-with-credentials', "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '\\*' when the request's credentials mode is 'include'"),
    ...both('allow-credentials-not-true', 'preflight-allow-credentials-not-true', "The value of the 'Access-Control-Allow-Credentials' header in the response is '.*' which must be 'true' when the request's credentials mode is 'include'"),
    preflightOnly('preflight-status-not-ok', 'It does not have HTTP ok status\\.$'),
    preflightOnly('preflight-redirect-not-allowed', 'Redirect is not allowed for a preflight request\\.$'),
    { reason: 'method-not-allowed', pattern: /^Method \S+ is not allowed by Access-Control-Allow-Methods in preflight response\.$/ },
    { reason: 'header-not-allowed', pattern: /^Request header field \S+ is not allowed by Access-Control-Allow-Headers in preflight response\.$/ },
    { reason: 'invalid-allow-methods', pattern: /^Cannot parse Access-Control-Allow-Methods response header field in preflight response\.$/ },
    { reason: 'invalid-allow-headers', pattern: /^Cannot parse Access-Control-Allow-Headers response header field in preflight response\.$/ },
    { reason: 'redirect-url-not-allowed', pattern: /^Redirect location '.*' contains a username and password, which is disallowed for cross-origin requests\.$/s },
    { reason: 'disallowed-by-mode', pattern: /^Cross origin requests are not allowed by request mode\.$|^Request mode is "same-origin" but the URL's origin is not same as the request origin |^from frame with URL \S+\. Domains, protocols and ports must match\./s },
    { reason: 'scheme-not-supported', pattern: /^Cross origin requests are only supported for protocol schemes: / },
    { reason: 'invalid-response', pattern: /^The response is invalid\.$/ },
    { reason: 'private-network-access', pattern: /address space|Access-Control-Allow-Private-Network|Private-Network-Access|local network/ },
  ],
};

// Firefox: "[Cross-Origin Request Blocked: ]The Same Origin Policy disallows reading the remote
// resource at <url>. (Reason: <reason>)[. Status code: N.]". Over BiDi the prefix arrives as the
// error's name; the engine adapter puts it back in front. Quotes are typographic (‘ ’). Its one
// warning says "will disallow reading … soon".
const firefox: EngineDialect = {
  companion: [],
  // A same-origin-mode request to (or redirected to) another origin.
  alsoCors: [/^Security Error: Content at \S+ may not load data from \S+\.$/],
  parse: (text) => {
    const mode = /^Security Error: (Content at \S+ may not load data from) (\S+)\.$/.exec(text);
    if (mode) return { url: mode[2], detail: mode[1] ?? '' };
    // The URL comes bare, or in ‘ ’ (the wildcard-with-credentials message).
    const m = /(?:disallows|will disallow) reading the remote resource at (?:‘([^’]*)’|(\S+?))(?: soon)?\. \(Reason: (.*)$/s.exec(text);
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
    // ESR 153 writes "not http"; security.properties has long had "not HTTP".
    { reason: 'scheme-not-supported', pattern: /^CORS request not (?:HTTP|http)\)/ },
    { reason: 'disallowed-by-mode', pattern: /^Content at \S+ may not load data from$/ },
    { reason: 'cors-disabled', pattern: /^CORS disabled\)/ },
    { reason: 'origin-header-not-added', pattern: /^CORS header ‘Origin’ cannot be added\)/ },
    { reason: 'authorization-not-covered-by-wildcard', pattern: /^When the ‘Access-Control-Allow-Headers’ is ‘\*’, the ‘Authorization’ header is not covered\./ },
  ],
};

// WebKit prints the reason, then "<API> cannot load <url> due to access control checks.", which
// carries no reason (a companion: corsBlocks takes the URL from it). Its network log repeats the
// reason as "Failed to load resource: <reason>": a companion too. A redirect's failure comes as
// "Cross-origin redirection to <url> denied by Cross-Origin Resource Sharing policy: <reason>".
const WEBKIT_CANNOT_LOAD = /^(?:XMLHttpRequest|Fetch API|EventSource) cannot load (\S+) due to access control checks\.$/;
const STATUS = '(?: Status code: \\d+)?$';
const webkitRule = (reason: KnownReason, body: string): Rule => ({ reason, pattern: new RegExp(`^${body}${STATUS}`, 's') });

const webkit: EngineDialect = {
  companion: [/^Failed to load resource: /, WEBKIT_CANNOT_LOAD],
  // A same-origin-mode request redirected to another origin.
  alsoCors: [/^Unsafe attempt to load URL \S+ from origin \S+\. Domains, protocols and ports must match\./],
  parse: (text) => {
    const unsafe = /^Unsafe attempt to load URL (\S+) (from origin .*)$/s.exec(text);
    if (unsafe) return { url: unsafe[1], detail: unsafe[2] ?? '' };
    const redirect = /^Cross-origin redirection to (\S+) denied by Cross-Origin Resource Sharing policy: (.*)$/s.exec(text);
    const detail = redirect ? (redirect[2] ?? '') : text;
    const m = /^Origin (\S+) is not allowed by Access-Control-Allow-Origin/.exec(detail);
    return m ? { origin: m[1], detail } : { detail };
  },
  rules: [
    // WebKit says this both when ACAO is missing and when it names another origin.
    webkitRule('missing-allow-origin', 'Origin \\S+ is not allowed by Access-Control-Allow-Origin\\.'),
    webkitRule('multiple-allow-origin', 'Access-Control-Allow-Origin cannot contain more than one origin\\.'),
    webkitRule('wildcard-with-credentials', 'Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true\\.'),
    webkitRule('allow-credentials-not-true', 'Credentials flag is true, but Access-Control-Allow-Credentials is not "true"\\.'),
    webkitRule('preflight-status-not-ok', 'Preflight response is not successful\\.'),
    webkitRule('method-not-allowed', 'Method \\S+ is not allowed by Access-Control-Allow-Methods\\.'),
    webkitRule('header-not-allowed', 'Request header field \\S+ is not allowed by Access-Control-Allow-Headers\\.'),
    { reason: 'invalid-allow-methods', pattern: /^Header Access-Control-Allow-Methods has an invalid value: .*$/s },
    { reason: 'invalid-allow-headers', pattern: /^Header Access-Control-Allow-Headers has an invalid value: .*$/s },
    webkitRule('redirect-url-not-allowed', '(?:URL is either a non-HTTP URL or contains credentials\\.|redirection URL \\S+ has credentials)'),
    webkitRule('scheme-not-supported', 'Cross origin requests are only supported for HTTP\\.'),
    { reason: 'disallowed-by-mode', pattern: /^from origin \S+\. Domains, protocols and ports must match\./ },
  ],
};

export const DIALECTS: Readonly<Record<EngineName, EngineDialect>> = { chromium, firefox, webkit };

/** Whether a message talks about CORS at all (its URLs taken out) and is not a known companion line. */
export function isCorsMessage(engine: EngineName, text: string): boolean {
  const dialect = DIALECTS[engine];
  if (dialect.companion.some((c) => c.test(text))) return false;
  return CORS_VOCABULARY.test(text.replace(URLS, '<url>')) || dialect.alsoCors.some((c) => c.test(text));
}

export function classify(engine: EngineName, text: string): CorsBlock | undefined {
  if (!isCorsMessage(engine, text)) return undefined;
  const dialect = DIALECTS[engine];
  const { detail, url, origin } = dialect.parse(text);
  const rule = dialect.rules.find((r) => r.pattern.test(detail));
  return {
    reason: rule?.reason ?? 'unrecognized',
    ...(url === undefined ? {} : { url }),
    ...(origin === undefined ? {} : { origin }),
    raw: text,
  };
}

const PREFLIGHT_VARIANTS: Partial<Record<KnownReason, KnownReason>> = {
  'missing-allow-origin': 'preflight-missing-allow-origin',
  'allow-origin-mismatch': 'preflight-allow-origin-mismatch',
  'multiple-allow-origin': 'preflight-multiple-allow-origin',
  'invalid-allow-origin': 'preflight-invalid-allow-origin',
  'wildcard-with-credentials': 'preflight-wildcard-with-credentials',
  'allow-credentials-not-true': 'preflight-allow-credentials-not-true',
};

/** The code an engine gives for `reason` when the preflight's answer has it: Chromium words five apart, the others alike. */
export function onPreflight(engine: EngineName, reason: KnownReason): KnownReason {
  return engine === 'chromium' ? (PREFLIGHT_VARIANTS[reason] ?? reason) : reason;
}

/** Whether the engine's block message names the page's origin (Firefox's never does). */
export const NAMES_ORIGIN: Record<EngineName, boolean> = { chromium: true, firefox: false, webkit: true };

/** Every classified CORS message (blocks and warnings), in order, WebKit's URL taken from its companion line. */
function corsMessages(engine: EngineName, messages: readonly EngineMessage[]): CorsBlock[] {
  const found: CorsBlock[] = [];
  for (const message of messages) {
    const block = classify(engine, message.text);
    if (block !== undefined) {
      found.push(block);
      continue;
    }
    const last = found.at(-1);
    const cannotLoad = engine === 'webkit' ? WEBKIT_CANNOT_LOAD.exec(message.text) : null;
    if (cannotLoad && last !== undefined && last.url === undefined && cannotLoad[1] !== undefined) last.url = cannotLoad[1];
  }
  return found;
}

/** Every CORS block among the messages (unrecognized too, warnings not), in order, follow-ups last. */
export function corsBlocks(engine: EngineName, messages: readonly EngineMessage[]): CorsBlock[] {
  const blocks = corsMessages(engine, messages).filter((b) => !WARNING_REASONS.includes(b.reason));
  return [...blocks.filter(namesTheFailure), ...blocks.filter((b) => !namesTheFailure(b))];
}

/** Whether a block says what failed (Firefox's generic follow-up does not). */
export const namesTheFailure = (block: CorsBlock): boolean => !FOLLOW_UP_REASONS.includes(block.reason);

/** The CORS warnings (no block) among an engine's messages. */
export function corsWarnings(engine: EngineName, messages: readonly EngineMessage[]): CorsBlock[] {
  return corsMessages(engine, messages).filter((b) => WARNING_REASONS.includes(b.reason));
}
