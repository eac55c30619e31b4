/**
 * Names why an engine blocked a cross-origin read, whatever words the engine used.
 *
 * Each engine prints its own sentence (see the rules below); the suite asserts on reason
 * codes so that one expectation holds for all engines. A CORS message no rule knows yields
 * `unrecognized` with the raw text kept: tests then fail and show it, never pass silently.
 */
import type { EngineMessage, EngineName } from '../engines/engine.js';

export const REASON_CODES = [
  'missing-allow-origin',
  'unrecognized',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

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
  reason: Exclude<ReasonCode, 'unrecognized'>;
  pattern: RegExp;
}

/** Recognises that a message is about CORS at all, and pulls out URL and origin. */
interface EngineDialect {
  isCorsMessage(text: string): boolean;
  /** The reason part, URL and origin of a CORS message. */
  parse(text: string): { detail: string; url?: string; origin?: string };
  rules: Rule[];
}

const chromium: EngineDialect = {
  isCorsMessage: (text) => /has been blocked by CORS policy/.test(text),
  parse: (text) => {
    const m = /^Access to (?:XMLHttpRequest|fetch) at '([^']*)'(?: \(redirected from '[^']*'\))? from origin '([^']*)' has been blocked by CORS policy: (.*)$/s.exec(text);
    return m ? { url: m[1], origin: m[2], detail: m[3] ?? '' } : { detail: text };
  },
  rules: [
    { reason: 'missing-allow-origin', pattern: /No 'Access-Control-Allow-Origin' header is present on the requested resource/ },
  ],
};

const firefox: EngineDialect = {
  isCorsMessage: (text) => /Same Origin Policy disallows reading the remote resource/.test(text),
  parse: (text) => {
    const m = /disallows reading the remote resource at (\S+?)\. \(Reason: (.*)$/s.exec(text);
    return m ? { url: m[1], detail: m[2] ?? '' } : { detail: text };
  },
  rules: [{ reason: 'missing-allow-origin', pattern: /CORS header ‘Access-Control-Allow-Origin’ missing/ }],
};

const webkit: EngineDialect = {
  // WebKit prints the reason and, separately, "<API> cannot load <url> due to access control checks.";
  // the latter carries no reason, so it is not classified on its own.
  isCorsMessage: (text) =>
    /is not allowed by Access-Control-Allow-Origin/.test(text) && !text.startsWith('Failed to load resource:'),
  parse: (text) => {
    const m = /^Origin (\S+) is not allowed by Access-Control-Allow-Origin/.exec(text);
    return m ? { origin: m[1], detail: text } : { detail: text };
  },
  rules: [{ reason: 'missing-allow-origin', pattern: /^Origin \S+ is not allowed by Access-Control-Allow-Origin\. Status code: \d+/ }],
};

const dialects: Record<EngineName, EngineDialect> = { chromium, firefox, webkit };

export function classify(engine: EngineName, text: string): CorsBlock | undefined {
  const dialect = dialects[engine];
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
