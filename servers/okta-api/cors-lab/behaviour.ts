/**
 * What a CORS lab URL asks the API to answer. The whole behaviour travels in the URL path
 * (`/cors-lab/<base64url(JSON)>/<anything>`), so a preflight and the request it precedes,
 * which share the URL, carry the same behaviour: no server state, nothing shared between
 * parallel tests.
 */
import { isRecord } from '../../util/is-record.js';

/** CORS response headers, as raw header values (deliberately unchecked: the lab sends bad ones). */
export interface LabCorsHeaders {
  /** One Access-Control-Allow-Origin header line per entry; [] sends none. */
  allowOrigin?: string[];
  allowCredentials?: string;
  allowMethods?: string;
  allowHeaders?: string;
  exposeHeaders?: string;
  maxAge?: string;
}

export interface LabAnswer {
  /** HTTP status; the preflight defaults to 204, the request to 200. */
  status?: number;
  /** Sent as Location (a redirect when the status is 3xx). */
  location?: string;
  /** Overrides the shared `cors` headers for this answer only (a key set to undefined removes nothing). */
  cors?: LabCorsHeaders;
  /** A Set-Cookie header on this answer. */
  setCookie?: string;
}

export interface LabBehaviour {
  /** Names the case; it also makes the URL, and so the log entries, unique per case. */
  case: string;
  /** Headers on both the preflight's and the request's answer, unless an answer overrides them. */
  cors?: LabCorsHeaders;
  preflight?: LabAnswer;
  actual?: LabAnswer;
}

export const LAB_PREFIX = '/cors-lab';

export function encodeBehaviour(behaviour: LabBehaviour): string {
  return Buffer.from(JSON.stringify(behaviour), 'utf8').toString('base64url');
}

/** The path of a lab resource: `/cors-lab/<behaviour>/<resource>`. */
export function labPath(behaviour: LabBehaviour, resource = 'resource'): string {
  return `${LAB_PREFIX}/${encodeBehaviour(behaviour)}/${resource}`;
}

export class BehaviourError extends Error {
  override name = 'BehaviourError';
}

const CORS_KEYS = ['allowOrigin', 'allowCredentials', 'allowMethods', 'allowHeaders', 'exposeHeaders', 'maxAge'] as const;
const ANSWER_KEYS = ['status', 'location', 'cors', 'setCookie'] as const;
const BEHAVIOUR_KEYS = ['case', 'cors', 'preflight', 'actual'] as const;

type Json = Record<string, unknown>;

function onlyKeys(value: Json, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new BehaviourError(`${where}: unknown key '${unknown[0]}' (allowed: ${allowed.join(', ')})`);
}

// Header values may be odd on purpose, but must still be sendable: no control characters.
function headerValue(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new BehaviourError(`${where} must be a string`);
  if (/[\0-\x08\x0a-\x1f\x7f]/.test(value)) throw new BehaviourError(`${where} contains a control character`);
  return value;
}

function corsHeaders(value: unknown, where: string): LabCorsHeaders {
  if (!isRecord(value)) throw new BehaviourError(`${where} must be an object`);
  onlyKeys(value, CORS_KEYS, where);
  const out: LabCorsHeaders = {};
  if (value.allowOrigin !== undefined) {
    if (!Array.isArray(value.allowOrigin)) throw new BehaviourError(`${where}.allowOrigin must be an array of strings`);
    out.allowOrigin = value.allowOrigin.map((v, i) => headerValue(v, `${where}.allowOrigin[${i}]`));
  }
  for (const key of CORS_KEYS) {
    if (key !== 'allowOrigin' && value[key] !== undefined) out[key] = headerValue(value[key], `${where}.${key}`);
  }
  return out;
}

function answer(value: unknown, where: string): LabAnswer {
  if (!isRecord(value)) throw new BehaviourError(`${where} must be an object`);
  onlyKeys(value, ANSWER_KEYS, where);
  const out: LabAnswer = {};
  if (value.status !== undefined) {
    const { status } = value;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
      throw new BehaviourError(`${where}.status must be an integer from 200 to 599`);
    }
    out.status = status;
  }
  if (value.location !== undefined) {
    // A relative path only: the lab redirects within itself, never to another site (no open redirect).
    const location = headerValue(value.location, `${where}.location`);
    if (location === '' || /^[/\\]|:/.test(location)) {
      throw new BehaviourError(`${where}.location must be a relative path within the lab (no scheme, no leading '/'), got '${location}'`);
    }
    out.location = location;
  }
  if (value.cors !== undefined) out.cors = corsHeaders(value.cors, `${where}.cors`);
  if (value.setCookie !== undefined) {
    // Only the lab's own cookies: a lab URL must never set (or fixate) the org's session cookie.
    const setCookie = headerValue(value.setCookie, `${where}.setCookie`);
    if (!/^lab_[\w-]*=/.test(setCookie)) {
      throw new BehaviourError(`${where}.setCookie must set a cookie named lab_…, got '${setCookie.split(';')[0] ?? ''}'`);
    }
    out.setCookie = setCookie;
  }
  return out;
}

/** Checks a decoded behaviour; throws BehaviourError with a one-line reason. */
export function validateBehaviour(value: unknown): LabBehaviour {
  if (!isRecord(value)) throw new BehaviourError('the behaviour must be a JSON object');
  onlyKeys(value, BEHAVIOUR_KEYS, 'behaviour');
  if (typeof value.case !== 'string' || value.case === '') throw new BehaviourError('behaviour.case must be a non-empty string');
  const out: LabBehaviour = { case: value.case };
  if (value.cors !== undefined) out.cors = corsHeaders(value.cors, 'behaviour.cors');
  if (value.preflight !== undefined) out.preflight = answer(value.preflight, 'behaviour.preflight');
  if (value.actual !== undefined) out.actual = answer(value.actual, 'behaviour.actual');
  return out;
}

export function decodeBehaviour(segment: string): LabBehaviour {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) throw new BehaviourError('the behaviour segment is not base64url');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch (error) {
    throw new BehaviourError(`the behaviour is not valid JSON: ${(error as Error).message}`);
  }
  return validateBehaviour(parsed);
}
