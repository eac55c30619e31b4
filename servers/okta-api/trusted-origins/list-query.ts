/**
 * The list operation's query, as Okta takes it: `q` (prefix of name or origin), `filter`
 * (SCIM-like: `name eq "x"`, `origin eq "…"`, `status eq "ACTIVE"`, `type eq "CORS"`,
 * `id eq "tos…"`, joined with `and` / `or`, grouped with parentheses), `limit` (1–200,
 * default 20) and `after` (the id the previous page ended with).
 */
import type { TrustedOrigin } from './store.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 200;

const FIELDS = ['id', 'name', 'origin', 'status', 'type'] as const;
type Field = (typeof FIELDS)[number];

type Filter =
  | { kind: 'eq'; field: Field; value: string }
  | { kind: 'and' | 'or'; left: Filter; right: Filter };

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

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: '(' | ')' };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c });
      i++;
    } else if (c === '"') {
      let text = '';
      i++;
      while (i < source.length && source[i] !== '"') {
        if (source[i] === '\\' && i + 1 < source.length) i++;
        text += source[i];
        i++;
      }
      if (i >= source.length) throw new ListQueryError('filter', 'A quoted value is not closed');
      i++;
      tokens.push({ kind: 'string', text });
    } else {
      const word = /^[A-Za-z_]+/.exec(source.slice(i))?.[0];
      if (word === undefined) throw new ListQueryError('filter', `Unexpected character '${c}'`);
      tokens.push({ kind: 'word', text: word });
      i += word.length;
    }
  }
  return tokens;
}

/** Recursive descent: `and` binds tighter than `or`, as in SCIM. */
export function parseFilter(source: string): Filter {
  const tokens = tokenize(source);
  let at = 0;
  const peekWord = (): string | undefined => {
    const t = tokens[at];
    return t?.kind === 'word' ? t.text.toLowerCase() : undefined;
  };
  const or = (): Filter => {
    let left = and();
    while (peekWord() === 'or') {
      at++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Filter => {
    let left = term();
    while (peekWord() === 'and') {
      at++;
      left = { kind: 'and', left, right: term() };
    }
    return left;
  };
  const term = (): Filter => {
    const t = tokens[at++];
    if (t?.kind === '(') {
      const inner = or();
      if (tokens[at++]?.kind !== ')') throw new ListQueryError('filter', 'A parenthesis is not closed');
      return inner;
    }
    const field = t?.kind === 'word' ? t.text : undefined;
    if (field === undefined || !(FIELDS as readonly string[]).includes(field)) {
      throw new ListQueryError('filter', `Expected one of ${FIELDS.join(', ')}`);
    }
    const op = tokens[at++];
    if (op?.kind !== 'word' || op.text.toLowerCase() !== 'eq') throw new ListQueryError('filter', `Only "eq" is supported after ${field}`);
    const value = tokens[at++];
    if (value?.kind !== 'string') throw new ListQueryError('filter', `${field} eq needs a quoted value`);
    return { kind: 'eq', field: field as Field, value: value.text };
  };
  if (tokens.length === 0) throw new ListQueryError('filter', 'The filter is empty');
  const filter = or();
  if (at !== tokens.length) throw new ListQueryError('filter', 'Unexpected text after the expression');
  return filter;
}

export function matchesFilter(entry: TrustedOrigin, filter: Filter): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesFilter(entry, filter.left) && matchesFilter(entry, filter.right);
    case 'or':
      return matchesFilter(entry, filter.left) || matchesFilter(entry, filter.right);
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
