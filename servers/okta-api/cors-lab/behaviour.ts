/**
 * What a CORS lab URL asks the server to answer. The whole behaviour travels in the URL path
 * (`/cors-lab/<base64url(JSON)>/<resource>`), so a preflight and the request it precedes,
 * which share the URL, carry the same behaviour: no server state, nothing shared between
 * parallel tests. A redirect keeps the behaviour and names the next hop in the resource
 * (`hop-1`, `hop-2`…), answered by `hops[0]`, `hops[1]`…; it may go to one of the suite's own
 * sites only (LabSite), never to a host the URL names.
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

/** The suite's own sites a redirect may go to: the API, the probe page's site, the other (untrusted) site. */
const LAB_SITES = ['api', 'page', 'other'] as const;
export type LabSite = (typeof LAB_SITES)[number];

interface LabRedirect {
  /** Which site's lab answers the next hop. */
  to: LabSite;
  /** Put a user name and password into the Location URL. */
  userInfo?: boolean;
}

/**
 * Makes an answer revalidatable (WPT cors/304.htm): it carries `ETag: "<etag>"` and a fixed
 * Last-Modified, and a conditional request that names them (If-None-Match, else
 * If-Modified-Since) gets a bodiless 304 instead.
 */
export interface LabRevalidation {
  /** The entity tag's opaque value, sent quoted. */
  etag: string;
  /** The CORS headers on the 304; none when absent (the stored response's must then apply). */
  notModifiedCors?: LabCorsHeaders;
}

export interface LabAnswer {
  /** HTTP status; the preflight defaults to 204, the request to 200 (the redirect's: 302). */
  status?: number;
  /** Answer with a redirect (Location) to the next hop, on the site named. */
  redirect?: LabRedirect;
  /** Overrides the shared `cors` headers for this answer only (a key set to undefined removes nothing). */
  cors?: LabCorsHeaders;
  /** A Set-Cookie header on this answer. */
  setCookie?: string;
  /** Validators on this answer, and a 304 to a conditional request that names them. */
  revalidate?: LabRevalidation;
}

/** How one hop answers: its preflight and its request. */
export interface LabHop {
  /** Headers on both the preflight's and the request's answer, unless an answer overrides them. */
  cors?: LabCorsHeaders;
  preflight?: LabAnswer;
  actual?: LabAnswer;
}

export interface LabBehaviour extends LabHop {
  /** Names the case: the lab tags the exchange log's entries with it. */
  case: string;
  /** The hops after a redirect: hops[0] answers `hop-1`, and so on. */
  hops?: LabHop[];
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
const ANSWER_KEYS = ['status', 'redirect', 'cors', 'setCookie', 'revalidate'] as const;
const HOP_KEYS = ['cors', 'preflight', 'actual'] as const;
const BEHAVIOUR_KEYS = ['case', ...HOP_KEYS, 'hops'] as const;

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

// A site's name only, never a URL: the lab cannot be made an open redirect.
function redirect(value: unknown, where: string): LabRedirect {
  if (!isRecord(value)) throw new BehaviourError(`${where} must be an object`);
  onlyKeys(value, ['to', 'userInfo'], where);
  const to = value.to;
  if (typeof to !== 'string' || !(LAB_SITES as readonly string[]).includes(to)) {
    throw new BehaviourError(`${where}.to must be one of ${LAB_SITES.join(', ')} (the suite's own sites), got ${JSON.stringify(to)}`);
  }
  if (value.userInfo !== undefined && typeof value.userInfo !== 'boolean') throw new BehaviourError(`${where}.userInfo must be true or false`);
  return { to: to as LabSite, ...(value.userInfo === true ? { userInfo: true } : {}) };
}

function revalidation(value: unknown, where: string): LabRevalidation {
  if (!isRecord(value)) throw new BehaviourError(`${where} must be an object`);
  onlyKeys(value, ['etag', 'notModifiedCors'], where);
  // RFC 9110's etagc, without the quote the lab adds around it.
  if (typeof value.etag !== 'string' || !/^[\x21\x23-\x7e]+$/.test(value.etag)) {
    throw new BehaviourError(`${where}.etag must be visible ASCII without '"' or spaces, got ${JSON.stringify(value.etag)}`);
  }
  const out: LabRevalidation = { etag: value.etag };
  if (value.notModifiedCors !== undefined) out.notModifiedCors = corsHeaders(value.notModifiedCors, `${where}.notModifiedCors`);
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
  if (value.redirect !== undefined) out.redirect = redirect(value.redirect, `${where}.redirect`);
  if (value.cors !== undefined) out.cors = corsHeaders(value.cors, `${where}.cors`);
  if (value.setCookie !== undefined) {
    // Only the lab's own cookies: a lab URL must never set (or fixate) the org's session cookie.
    const setCookie = headerValue(value.setCookie, `${where}.setCookie`);
    if (!/^lab_[\w-]*=/.test(setCookie)) {
      throw new BehaviourError(`${where}.setCookie must set a cookie named lab_…, got '${setCookie.split(';')[0] ?? ''}'`);
    }
    out.setCookie = setCookie;
  }
  if (value.revalidate !== undefined) out.revalidate = revalidation(value.revalidate, `${where}.revalidate`);
  return out;
}

function hop(value: Json, where: string): LabHop {
  const out: LabHop = {};
  if (value.cors !== undefined) out.cors = corsHeaders(value.cors, `${where}.cors`);
  if (value.preflight !== undefined) out.preflight = answer(value.preflight, `${where}.preflight`);
  if (value.actual !== undefined) out.actual = answer(value.actual, `${where}.actual`);
  return out;
}

/** Checks a decoded behaviour; throws BehaviourError with a one-line reason. */
function validateBehaviour(value: unknown): LabBehaviour {
  if (!isRecord(value)) throw new BehaviourError('the behaviour must be a JSON object');
  onlyKeys(value, BEHAVIOUR_KEYS, 'behaviour');
  if (typeof value.case !== 'string' || value.case === '') throw new BehaviourError('behaviour.case must be a non-empty string');
  const out: LabBehaviour = { case: value.case, ...hop(value, 'behaviour') };
  if (value.hops !== undefined) {
    if (!Array.isArray(value.hops)) throw new BehaviourError('behaviour.hops must be an array');
    out.hops = value.hops.map((h: unknown, i) => {
      if (!isRecord(h)) throw new BehaviourError(`behaviour.hops[${i}] must be an object`);
      onlyKeys(h, HOP_KEYS, `behaviour.hops[${i}]`);
      return hop(h, `behaviour.hops[${i}]`);
    });
  }
  return out;
}

/** The hop a resource name asks for: `hop-N` is hop N, anything else hop 0. */
export function hopIndex(resource: string): number {
  const m = /^hop-([1-9]\d?)$/.exec(resource);
  return m ? Number(m[1]) : 0;
}

/** The answers of hop N, or undefined when the behaviour has no such hop. */
export function hopOf(behaviour: LabBehaviour, index: number): LabHop | undefined {
  return index === 0 ? behaviour : behaviour.hops?.[index - 1];
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
