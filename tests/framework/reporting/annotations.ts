/**
 * Reads the annotations the suite writes on its tests: `engine` (pushed by the testRecord
 * fixture) and `cors-case` (pushed by the CORS matrix's tests: the outcome and reason code the
 * engine was observed to give). Shared by the fixture and the reporters, which see annotations
 * only as `{ type, description }` pairs (also after `merge-reports`).
 */

export interface Annotation {
  type: string;
  description?: string;
}

export const CORS_CASE = 'cors-case';
export const ENGINE = 'engine';

export type CorsOutcome = 'readable' | 'blocked';

export interface CorsCase {
  /** The scenario area, e.g. "preflight" or "credentials". */
  area: string;
  /** The case within the area. */
  case: string;
  outcome: CorsOutcome;
  /** The reason code (tests/framework/cors/reason-catalog.ts) when blocked. */
  reason?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One `cors-case` description; undefined when it is not the agreed JSON (reports must not crash on it). */
export function parseCorsCase(description: string | undefined): CorsCase | undefined {
  if (description === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(description);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { area, outcome, reason } = value;
  const name = value['case'];
  if (outcome !== 'readable' && outcome !== 'blocked') return undefined;
  return {
    area: typeof area === 'string' ? area : '',
    case: typeof name === 'string' ? name : '',
    outcome,
    ...(typeof reason === 'string' && reason !== '' ? { reason } : {}),
  };
}

/** Every well-formed `cors-case` annotation, in the order the test pushed them. */
export function corsCases(annotations: readonly Annotation[]): CorsCase[] {
  return annotations
    .filter((a) => a.type === CORS_CASE)
    .map((a) => parseCorsCase(a.description))
    .filter((c): c is CorsCase => c !== undefined);
}

/** "chromium 156.0.8078.73 (playwright): Playwright's chromium 156.0.8078.73", split up. */
export interface EngineNote {
  name: string;
  version: string;
  kind: string;
  description: string;
}

const ENGINE_NOTE = /^(\S+) (.+?) \(([^()]+)\): (.*)$/s;

/** The `engine` annotation the testRecord fixture writes, if the test got that far. */
export function engineNote(annotations: readonly Annotation[]): EngineNote | undefined {
  const text = annotations.find((a) => a.type === ENGINE)?.description;
  if (text === undefined) return undefined;
  const m = ENGINE_NOTE.exec(text);
  if (!m) return { name: text, version: '', kind: '', description: text };
  return { name: m[1] ?? '', version: m[2] ?? '', kind: m[3] ?? '', description: m[4] ?? '' };
}

/** The engine annotation's own text, built from the same parts (the fixture writes it). */
export function engineAnnotation(info: { name: string; version: string; kind: string; description: string }): Annotation {
  return { type: ENGINE, description: `${info.name} ${info.version} (${info.kind}): ${info.description}` };
}
