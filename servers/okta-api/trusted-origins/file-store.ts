/**
 * Trusted Origins kept in a JSON file: a list of entries as `GET /api/v1/trustedOrigins`
 * answers them (`_links` ignored), so a saved answer is a valid file.
 *
 * - As a seed file it is read once and never written.
 * - As the store's file it is read at start (if it exists) and rewritten after every
 *   change, atomically: a temporary file in the same folder, then a rename over the old
 *   one, so a crash leaves either the old list or the new one, never half of one.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { TrustedOriginValidationError } from './validation.js';
import { MemoryTrustedOriginStore, TrustedOriginStorageError, type TrustedOrigin } from './store.js';

/** The entries of a trusted origins file, or an error saying what is wrong with it. */
function readTrustedOriginsFile(path: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read trusted origins file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`trusted origins file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new Error(`trusted origins file ${path} must hold a JSON list of trusted origins, like GET /api/v1/trustedOrigins answers`);
  }
  return parsed as unknown[];
}

/** Adds a file's entries to `store`, all or none; a bad entry is reported with the file's name. */
export function importTrustedOriginsFile(store: MemoryTrustedOriginStore, path: string): void {
  const records = readTrustedOriginsFile(path);
  try {
    store.importRecords(records);
  } catch (error) {
    if (error instanceof TrustedOriginValidationError) {
      throw new Error(`trusted origins file ${path} has a bad entry: ${error.causes.join('; ')}`);
    }
    throw error;
  }
}

/** Writes `text` to `path` so that readers see the old content or the new, never a mix. */
function writeFileAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temporary, 'wx', 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new TrustedOriginStorageError(`cannot write trusted origins file ${path}: ${(error as Error).message}`);
  }
}

export class FileTrustedOriginStore extends MemoryTrustedOriginStore {
  /** Opens the store kept in `path`: its entries if it exists, else an empty store that creates it on the first change. */
  constructor(
    readonly path: string,
    actor?: string,
  ) {
    super([], actor);
    if (existsSync(path)) importTrustedOriginsFile(this, path);
  }

  protected override commit(next: ReadonlyMap<string, TrustedOrigin>): void {
    // Written before the memory changes: if the write fails the change is refused whole.
    writeFileAtomically(this.path, `${JSON.stringify([...next.values()], null, 2)}\n`);
    super.commit(next);
  }
}
