/**
 * Trusted Origins: the list an Okta admin keeps under Security > API > Trusted Origins.
 * CORS asks the store one question (is this Origin trusted for CORS right now?); the
 * admin API manages the entries. Kept behind an interface so the storage can change.
 *
 * Every change is all-or-nothing: it is validated in full, built on a copy of the entries
 * and only then committed, so a rejected request (or a failed file write, see
 * file-store.ts) leaves the store exactly as it was.
 */
import { randomInt } from 'node:crypto';
import {
  ALREADY_EXISTS,
  Causes,
  TrustedOriginNotFoundError,
  TrustedOriginValidationError,
  validateStoredRecord,
  validateTrustedOriginWrite,
  type TrustedOriginScope,
  type TrustedOriginScopeType,
  type TrustedOriginWrite,
} from './validation.js';


export type TrustedOriginStatus = 'ACTIVE' | 'INACTIVE';

export interface TrustedOrigin {
  id: string;
  name: string;
  origin: string;
  status: TrustedOriginStatus;
  scopes: TrustedOriginScope[];
  created: string;
  createdBy: string;
  lastUpdated: string;
  lastUpdatedBy: string;
}

export interface TrustedOriginStore {
  /**
   * The stored origin when `requestOrigin` is trusted for CORS (ACTIVE, with the CORS
   * scope), else undefined. Matching is exact and case-sensitive, as browsers compare.
   */
  corsOriginFor(requestOrigin: string): string | undefined;
  /** Every entry, oldest first. */
  list(): TrustedOrigin[];
  get(id: string): TrustedOrigin | undefined;
  /** Throws TrustedOriginValidationError (bad body, name or origin taken). */
  create(body: unknown, actor: string): TrustedOrigin;
  /** Replaces the writable fields. Throws TrustedOriginNotFoundError or TrustedOriginValidationError. */
  replace(id: string, body: unknown, actor: string): TrustedOrigin;
  /** Throws TrustedOriginNotFoundError. */
  delete(id: string): void;
  /** Sets the status (a no-op when it already has it). Throws TrustedOriginNotFoundError. */
  setStatus(id: string, status: TrustedOriginStatus, actor: string): TrustedOrigin;
}

/** The store could not keep a change (e.g. its file could not be written); nothing changed. */
export class TrustedOriginStorageError extends Error {
  override name = 'TrustedOriginStorageError';
}

/** A code-side seed: `name` defaults to the origin, `scopes` to CORS and REDIRECT. */
export interface TrustedOriginSeed {
  name?: string;
  origin: string;
  scopes?: TrustedOriginScopeType[];
  status?: TrustedOriginStatus;
}

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Okta's shape: "tos" and 17 letters or digits. */
function newTrustedOriginId(): string {
  let id = 'tos';
  for (let i = 0; i < 17; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

const seedRecord = (seed: TrustedOriginSeed | string): Record<string, unknown> => {
  const s = typeof seed === 'string' ? { origin: seed } : seed;
  return {
    name: s.name ?? s.origin,
    origin: s.origin,
    scopes: (s.scopes ?? ['CORS', 'REDIRECT']).map((type) => ({ type })),
    ...(s.status === undefined ? {} : { status: s.status }),
  };
};

/** Entries live in memory for the life of the server process. */
export class MemoryTrustedOriginStore implements TrustedOriginStore {
  // Replaced whole on every change (never edited in place), which is what makes changes atomic.
  private entries: ReadonlyMap<string, TrustedOrigin> = new Map();

  constructor(
    seeds: readonly (TrustedOriginSeed | string)[] = [],
    protected readonly actor = 'system',
  ) {
    if (seeds.length > 0) this.importRecords(seeds.map(seedRecord));
  }

  corsOriginFor(requestOrigin: string): string | undefined {
    for (const entry of this.entries.values()) {
      if (
        entry.origin === requestOrigin &&
        entry.status === 'ACTIVE' &&
        entry.scopes.some((scope) => scope.type === 'CORS')
      ) {
        return entry.origin;
      }
    }
    return undefined;
  }

  list(): TrustedOrigin[] {
    return [...this.entries.values()].map((entry) => structuredClone(entry));
  }

  get(id: string): TrustedOrigin | undefined {
    const entry = this.entries.get(id);
    return entry === undefined ? undefined : structuredClone(entry);
  }

  create(body: unknown, actor: string): TrustedOrigin {
    const write = validateTrustedOriginWrite(body);
    this.assertUnique(this.entries, write);
    const now = new Date().toISOString();
    const entry = this.entry(this.freeId(), write, 'ACTIVE', now, actor, now, actor);
    this.commit(new Map(this.entries).set(entry.id, entry));
    return structuredClone(entry);
  }

  replace(id: string, body: unknown, actor: string): TrustedOrigin {
    const current = this.existing(id);
    const write = validateTrustedOriginWrite(body);
    this.assertUnique(this.entries, write, id);
    const now = new Date().toISOString();
    const entry = this.entry(id, write, current.status, current.created, current.createdBy, now, actor);
    this.commit(new Map(this.entries).set(id, entry));
    return structuredClone(entry);
  }

  delete(id: string): void {
    this.existing(id);
    const next = new Map(this.entries);
    next.delete(id);
    this.commit(next);
  }

  setStatus(id: string, status: TrustedOriginStatus, actor: string): TrustedOrigin {
    const current = this.existing(id);
    if (current.status === status) return structuredClone(current);
    const entry: TrustedOrigin = { ...current, status, lastUpdated: new Date().toISOString(), lastUpdatedBy: actor };
    this.commit(new Map(this.entries).set(id, entry));
    return structuredClone(entry);
  }

  /**
   * Adds stored records (from a seed or store file, or code seeds): all of them or, on the
   * first invalid or clashing one, none. Missing server fields get defaults.
   */
  importRecords(records: readonly unknown[]): void {
    const next = new Map(this.entries);
    const now = new Date().toISOString();
    records.forEach((record, index) => {
      try {
        const r = validateStoredRecord(record);
        if (r.id !== undefined && next.has(r.id)) throw new TrustedOriginValidationError('id', [`id: ${ALREADY_EXISTS}`]);
        this.assertUnique(next, r);
        const created = r.created ?? now;
        const createdBy = r.createdBy ?? this.actor;
        const entry = this.entry(r.id ?? this.freeId(next), r, r.status ?? 'ACTIVE', created, createdBy,
          r.lastUpdated ?? created, r.lastUpdatedBy ?? createdBy);
        next.set(entry.id, entry);
      } catch (error) {
        if (error instanceof TrustedOriginValidationError) {
          throw new TrustedOriginValidationError(error.field, error.causes.map((c) => `entry ${index + 1}: ${c}`));
        }
        throw error;
      }
    });
    this.commit(next);
  }

  /** Adds `seed` unless an entry already has its origin (kept as it is, even if inactive). */
  addIfAbsent(seed: TrustedOriginSeed): TrustedOrigin {
    const found = [...this.entries.values()].find((entry) => entry.origin === seed.origin);
    if (found !== undefined) return structuredClone(found);
    this.importRecords([seedRecord(seed)]);
    const added = [...this.entries.values()].find((entry) => entry.origin === seed.origin);
    if (added === undefined) throw new Error(`trusted origin ${seed.origin} was not added`);
    return structuredClone(added);
  }

  /** Makes `next` the store's content. Subclasses persist it first; if that throws, nothing changes. */
  protected commit(next: ReadonlyMap<string, TrustedOrigin>): void {
    this.entries = next;
  }

  private existing(id: string): TrustedOrigin {
    const entry = this.entries.get(id);
    if (entry === undefined) throw new TrustedOriginNotFoundError(id);
    return entry;
  }

  private assertUnique(entries: ReadonlyMap<string, TrustedOrigin>, write: TrustedOriginWrite, exceptId?: string): void {
    const causes = new Causes();
    for (const other of entries.values()) {
      if (other.id === exceptId) continue;
      if (other.name === write.name) causes.add('name', ALREADY_EXISTS);
      if (other.origin === write.origin) causes.add('origin', ALREADY_EXISTS);
    }
    if (!causes.empty) throw causes.error();
  }

  private freeId(entries: ReadonlyMap<string, TrustedOrigin> = this.entries): string {
    let id = newTrustedOriginId();
    while (entries.has(id)) id = newTrustedOriginId();
    return id;
  }

  // Okta's field order, so answers read like the real ones.
  private entry(
    id: string,
    write: TrustedOriginWrite,
    status: TrustedOriginStatus,
    created: string,
    createdBy: string,
    lastUpdated: string,
    lastUpdatedBy: string,
  ): TrustedOrigin {
    return {
      id,
      name: write.name,
      origin: write.origin,
      status,
      scopes: write.scopes.map((scope) => ({
        type: scope.type,
        ...(scope.allowedOktaApps === undefined ? {} : { allowedOktaApps: [...scope.allowedOktaApps] }),
      })),
      created,
      createdBy,
      lastUpdated,
      lastUpdatedBy,
    };
  }
}
