/**
 * The list operation's query, as Okta takes it: `q` (prefix of name or origin), `filter`
 * (SCIM: `name eq "x"`, `origin eq "…"`, `status eq "ACTIVE"`, `type eq "CORS"`,
 * `id eq "tos…"`, joined with `and` / `or`, grouped with parentheses), `limit` (1–200,
 * default 20) and `after` (the id the previous page ended with).
 */
import * as Scim from 'scim2-parse-filter';
import type { TrustedOrigin } from './store.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 200;

const FIELDS = ['id', 'name', 'origin', 'status', 'type'] as const;
type Field = (typeof FIELDS)[number];

/** The part of SCIM's filter language Okta takes here: `eq` on a quoted value, `and`, `or`. */
type Filter =
  | { kind: 'eq'; field: Field; value: string }
  | { kind: 'and' | 'or'; filters: Filter[] };

/** A query parameter Okta would refuse: which one and why. */
export class ListQueryError extends Error {
  override name = 'ListQueryError';

  constructor(
    readonly parameter: 'filter' | 'limit' | 'after' | 'q',
    readonly problem: string,
  ) {
    super(`${parameter}: ${problem}`);
  }
}

const isField = (name: string): name is Field => (FIELDS as readonly string[]).includes(name);

/** Narrows a SCIM expression to what this list supports, or names what it does not. */
function supported(scim: Scim.Filter): Filter {
  if (scim.op === 'and' || scim.op === 'or') return { kind: scim.op, filters: scim.filters.map(supported) };
  if (!('attrPath' in scim) || !isField(scim.attrPath)) {
    throw new ListQueryError('filter', `Expected one of ${FIELDS.join(', ')}`);
  }
  if (scim.op !== 'eq') throw new ListQueryError('filter', `Only "eq" is supported after ${scim.attrPath}`);
  if (typeof scim.compValue !== 'string') throw new ListQueryError('filter', `${scim.attrPath} eq needs a quoted value`);
  return { kind: 'eq', field: scim.attrPath, value: scim.compValue };
}

/** SCIM's grammar (RFC 7644 §3.4.2.2, `and` binding tighter than `or`) is scim2-parse-filter's. */
function parseFilter(source: string): Filter {
  if (source.trim() === '') throw new ListQueryError('filter', 'The filter is empty');
  let scim: Scim.Filter;
  try {
    scim = Scim.parse(source);
  } catch (error) {
    throw new ListQueryError('filter', `Not a SCIM filter (${error instanceof Error ? error.message : String(error)})`);
  }
  return supported(scim);
}

function matchesFilter(entry: TrustedOrigin, filter: Filter): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.filters.every((f) => matchesFilter(entry, f));
    case 'or':
      return filter.filters.some((f) => matchesFilter(entry, f));
    case 'eq':
      return filter.field === 'type'
        ? entry.scopes.some((scope) => scope.type === filter.value)
        : entry[filter.field] === filter.value;
  }
}

export interface ListQuery {
  q?: string;
  filter?: Filter;
  limit: number;
  after?: string;
}

/** Reads Express's query object; a repeated or malformed parameter is a ListQueryError. */
export function parseListQuery(query: Record<string, unknown>): ListQuery {
  const single = (name: 'q' | 'filter' | 'limit' | 'after'): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new ListQueryError(name, 'Give the parameter once, as plain text');
    return value;
  };
  const limitText = single('limit');
  let limit = DEFAULT_LIMIT;
  if (limitText !== undefined) {
    limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new ListQueryError('limit', `The limit is a whole number from 1 to ${MAX_LIMIT}`);
  }
  const filterText = single('filter');
  const q = single('q');
  const after = single('after');
  return {
    limit,
    ...(q === undefined || q === '' ? {} : { q }),
    ...(filterText === undefined ? {} : { filter: parseFilter(filterText) }),
    ...(after === undefined || after === '' ? {} : { after }),
  };
}

/** One page of `entries` (oldest first) and whether more follow. */
export function applyListQuery(entries: readonly TrustedOrigin[], query: ListQuery): { page: TrustedOrigin[]; more: boolean } {
  const prefix = query.q?.toLowerCase();
  const { filter } = query;
  let selected = entries.filter(
    (entry) =>
      (prefix === undefined || entry.name.toLowerCase().startsWith(prefix) || entry.origin.toLowerCase().startsWith(prefix)) &&
      (filter === undefined || matchesFilter(entry, filter)),
  );
  if (query.after !== undefined) {
    const index = selected.findIndex((entry) => entry.id === query.after);
    if (index < 0) throw new ListQueryError('after', 'The cursor is not an id of this list (it may have been deleted): list again from the start');
    selected = selected.slice(index + 1);
  }
  return { page: selected.slice(0, query.limit), more: selected.length > query.limit };
}
