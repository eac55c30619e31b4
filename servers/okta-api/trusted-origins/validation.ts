/**
 * What a Trusted Origin may hold, checked the way Okta checks it: every problem of a body
 * becomes one `errorCauses` entry ("field: what is wrong") of a single E0000001 answer.
 * Only the body's own checks live here; uniqueness needs the store and is checked there.
 */
import { isRecord } from '../../util/is-record.js';

const SCOPE_TYPES = ['CORS', 'REDIRECT', 'IFRAME_EMBED'] as const;
export type TrustedOriginScopeType = (typeof SCOPE_TYPES)[number];

/** Okta's `IframeEmbedScopeAllowedApps`: which Okta apps an IFRAME_EMBED origin may frame. */
const IFRAME_EMBED_APPS = ['OKTA_ENDUSER'] as const;
type IframeEmbedApp = (typeof IFRAME_EMBED_APPS)[number];

/** One scope as Okta stores it; only IFRAME_EMBED carries `allowedOktaApps`. */
export interface TrustedOriginScope {
  type: TrustedOriginScopeType;
  allowedOktaApps?: IframeEmbedApp[];
}

const MAX_LENGTH = 255;

/** Okta's documented schemes: HTTP, HTTPS, FTP, Ionic 2 and Capacitor. */
const ORIGIN_SCHEMES = ['http:', 'https:', 'ftp:', 'ionic:', 'capacitor:'] as const;

/** The fields an admin writes (POST, PUT); everything else is the server's. */
export interface TrustedOriginWrite {
  name: string;
  origin: string;
  scopes: TrustedOriginScope[];
}

/** Okta's "Api validation failed: <first field>" with one cause per problem. */
export class TrustedOriginValidationError extends Error {
  override name = 'TrustedOriginValidationError';

  constructor(
    readonly field: string,
    readonly causes: string[],
  ) {
    super(`Api validation failed: ${field} (${causes.join('; ')})`);
  }
}

export class TrustedOriginNotFoundError extends Error {
  override name = 'TrustedOriginNotFoundError';

  constructor(readonly id: string) {
    super(`Resource not found: ${id} (TrustedOrigin)`);
  }
}

/** Collects "field: problem" causes in the order found. */
export class Causes {
  private readonly list: { field: string; text: string }[] = [];

  add(field: string, problem: string): void {
    this.list.push({ field, text: `${field}: ${problem}` });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Okta's validation error naming the first field found wrong, with every cause. */
  error(): TrustedOriginValidationError {
    return new TrustedOriginValidationError(this.list[0]?.field ?? 'body', this.list.map((c) => c.text));
  }
}

const BLANK = 'The field cannot be left blank';
const TOO_LONG = `The field cannot exceed ${MAX_LENGTH} characters`;
const ORIGIN_NOT_VALID = 'Origin value is not valid';
export const ALREADY_EXISTS = 'An object with this field already exists in the current organization';

/**
 * True when `value` is an origin exactly as a browser serializes it: an allowed scheme, a
 * host, an optional non-default port, nothing else. That rules out a missing scheme, a
 * path (even a lone trailing "/"), a query, a fragment, user info, upper case and an
 * explicit default port: none of those could ever equal a browser's Origin header.
 */
function isSerializedOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (!(ORIGIN_SCHEMES as readonly string[]).includes(url.protocol) || url.hostname === '') return false;
  // URL gives http(s)/ftp a real origin; Ionic's and Capacitor's schemes have none, so build it.
  const serialized = url.origin !== 'null' ? url.origin : `${url.protocol}//${url.host}`;
  return value === serialized;
}

/** The value when it is a usable string, else undefined with the cause added. */
function checkText(causes: Causes, field: 'name' | 'origin', value: unknown): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    causes.add(field, BLANK);
    return undefined;
  }
  if (typeof value !== 'string') {
    causes.add(field, 'The field must be a string');
    return undefined;
  }
  if (value.length > MAX_LENGTH) {
    causes.add(field, TOO_LONG);
    return undefined;
  }
  return value;
}

/** `allowedOktaApps` of an IFRAME_EMBED scope: a list of Okta's app names, kept as given. */
function checkAllowedApps(causes: Causes, type: TrustedOriginScopeType, value: unknown): IframeEmbedApp[] | undefined {
  if (value === undefined) return undefined;
  if (type !== 'IFRAME_EMBED') {
    causes.add('scopes', `allowedOktaApps belongs to an IFRAME_EMBED scope only, not to ${type}`);
    return undefined;
  }
  if (!Array.isArray(value) || !value.every((app) => (IFRAME_EMBED_APPS as readonly unknown[]).includes(app))) {
    causes.add('scopes', `allowedOktaApps must be a list of ${IFRAME_EMBED_APPS.join(', ')}`);
    return undefined;
  }
  return [...new Set(value as IframeEmbedApp[])];
}

function checkScopes(causes: Causes, value: unknown): TrustedOriginScope[] {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    causes.add('scopes', `${BLANK}: give at least one of ${SCOPE_TYPES.join(', ')}`);
    return [];
  }
  if (!Array.isArray(value)) {
    causes.add('scopes', 'The field must be a list of {"type": …} objects');
    return [];
  }
  const scopes: TrustedOriginScope[] = [];
  for (const item of value as unknown[]) {
    const type = isRecord(item) ? item.type : undefined;
    if (typeof type !== 'string' || !(SCOPE_TYPES as readonly string[]).includes(type)) {
      causes.add('scopes', `${JSON.stringify(type ?? item)} is not a valid scope type; use ${SCOPE_TYPES.join(', ')}`);
      continue;
    }
    if (scopes.some((scope) => scope.type === type)) {
      causes.add('scopes', `${type} is listed more than once`);
      continue;
    }
    const apps = checkAllowedApps(causes, type as TrustedOriginScopeType, isRecord(item) ? item.allowedOktaApps : undefined);
    scopes.push({ type: type as TrustedOriginScopeType, ...(apps === undefined ? {} : { allowedOktaApps: apps }) });
  }
  return scopes;
}

/** The writable fields of `input`, or undefined with the causes added. */
function checkWrite(causes: Causes, input: Record<string, unknown>): TrustedOriginWrite | undefined {
  const name = checkText(causes, 'name', input.name);
  const origin = checkText(causes, 'origin', input.origin);
  if (origin !== undefined && !isSerializedOrigin(origin)) causes.add('origin', ORIGIN_NOT_VALID);
  const scopes = checkScopes(causes, input.scopes);
  return name === undefined || origin === undefined || !causes.empty ? undefined : { name, origin, scopes };
}

/** Checks a POST/PUT body (read-only fields in it are ignored, as Okta does). Throws on any problem. */
export function validateTrustedOriginWrite(body: unknown): TrustedOriginWrite {
  const causes = new Causes();
  const write = checkWrite(causes, isRecord(body) ? body : {});
  if (write === undefined) throw causes.error();
  return write;
}

/** The server-kept fields a stored record may bring (from a seed or store file). */
export interface StoredFields {
  id?: string;
  status?: 'ACTIVE' | 'INACTIVE';
  created?: string;
  createdBy?: string;
  lastUpdated?: string;
  lastUpdatedBy?: string;
}

const ID_PATTERN = /^tos[0-9A-Za-z]{1,37}$/;

/**
 * Checks a record read from a file: the writable fields as for POST, plus the optional
 * server-kept ones (`_links` and unknown fields are ignored, so a saved
 * `GET /api/v1/trustedOrigins` answer is a valid file).
 */
export function validateStoredRecord(value: unknown): TrustedOriginWrite & StoredFields {
  if (!isRecord(value)) throw new TrustedOriginValidationError('body', ['The entry must be a JSON object']);
  const causes = new Causes();
  const write = checkWrite(causes, value);
  const stored: StoredFields = {};
  if (value.id !== undefined) {
    if (typeof value.id === 'string' && ID_PATTERN.test(value.id)) stored.id = value.id;
    else causes.add('id', 'An id is "tos" followed by letters and digits');
  }
  if (value.status !== undefined) {
    if (value.status === 'ACTIVE' || value.status === 'INACTIVE') stored.status = value.status;
    else causes.add('status', 'The status is ACTIVE or INACTIVE');
  }
  for (const field of ['created', 'lastUpdated'] as const) {
    const v = value[field];
    if (v === undefined) continue;
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) stored[field] = v;
    else causes.add(field, 'The field must be an ISO 8601 date-time');
  }
  for (const field of ['createdBy', 'lastUpdatedBy'] as const) {
    const v = value[field];
    if (v === undefined) continue;
    if (typeof v === 'string' && v !== '') stored[field] = v;
    else causes.add(field, 'The field must be a non-empty string');
  }
  if (write === undefined || !causes.empty) throw causes.error();
  return { ...write, ...stored };
}
