/**
 * Trusted Origins: the list an Okta admin keeps under Security > API > Trusted Origins.
 * CORS asks the store one question (is this Origin trusted for CORS right now?); the
 * admin API manages the entries. Kept behind an interface so the storage can change.
 */
import { randomBytes } from 'node:crypto';

export type TrustedOriginScopeType = 'CORS' | 'REDIRECT' | 'IFRAME_EMBED';

export interface TrustedOrigin {
  id: string;
  name: string;
  origin: string;
  scopes: { type: TrustedOriginScopeType }[];
  status: 'ACTIVE' | 'INACTIVE';
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
  list(): TrustedOrigin[];
}

export interface TrustedOriginSeed {
  name?: string;
  origin: string;
  scopes?: TrustedOriginScopeType[];
  status?: TrustedOrigin['status'];
}

export function newTrustedOriginId(): string {
  return `tos${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 17)}`;
}

/** Entries live in memory for the life of the server process. */
export class MemoryTrustedOriginStore implements TrustedOriginStore {
  protected readonly entries = new Map<string, TrustedOrigin>();

  constructor(seeds: readonly (TrustedOriginSeed | string)[] = [], protected readonly actor = 'system') {
    for (const seed of seeds) this.insert(typeof seed === 'string' ? { origin: seed } : seed);
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

  protected insert(seed: TrustedOriginSeed): TrustedOrigin {
    const now = new Date().toISOString();
    const entry: TrustedOrigin = {
      id: newTrustedOriginId(),
      name: seed.name ?? seed.origin,
      origin: seed.origin,
      scopes: (seed.scopes ?? ['CORS', 'REDIRECT']).map((type) => ({ type })),
      status: seed.status ?? 'ACTIVE',
      created: now,
      createdBy: this.actor,
      lastUpdated: now,
      lastUpdatedBy: this.actor,
    };
    this.entries.set(entry.id, entry);
    return entry;
  }
}
