/**
 * Every process that launches engines keeps its temporary files (Playwright's browser profiles
 * and artifacts, the Chromium profile holding the cookie policy) in a folder of its own,
 * `<tmp>/cors-conformance/<pid>-<start time>`, by pointing TMPDIR there. A process that ends
 * normally removes its folder; one killed with SIGKILL cannot, so the folders of dead processes
 * (told by pid and start time, so a recycled pid is never taken for the owner) are removed by the
 * next process that starts or ends. Before: 94 Chromium and 18 Firefox profiles had piled up in
 * /tmp from killed workers and the contract's kill tests.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, processRefOf } from './process-tree.js';

// Children inherit TMPDIR = their parent's folder; the root stays the first one's.
const ROOT = (process.env.CORS_TEMP_ROOT ??= join(tmpdir(), 'cors-conformance'));

let own: string | undefined;

/** Where every process's own folder lives. */
export const tempRoot = (): string => ROOT;

/** The folder of the running process `pid` (whether or not it was created), or undefined if none runs. */
export function tempFolderOf(pid: number): string | undefined {
  const ref = processRefOf(pid);
  return ref === undefined ? undefined : join(ROOT, `${ref.pid}-${ref.startTime}`);
}

/** Removes a folder; one that cannot go now goes with a later run, never a reason to fail this one. */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 5 });
  } catch {
    // Left for a later run.
  }
}

/** Removes the folders of processes that no longer run. */
export function removeFoldersOfDeadProcesses(): void {
  let names: string[];
  try {
    names = readdirSync(ROOT);
  } catch {
    return;
  }
  for (const name of names) {
    const [pid, startTime] = name.split('-');
    if (pid === undefined || startTime === undefined || !/^\d+$/.test(pid)) continue;
    if (!isAlive({ pid: Number(pid), startTime })) removeQuietly(join(ROOT, name));
  }
}

/** Points this process's TMPDIR at its own folder (once), after clearing dead processes' folders. */
export function useOwnTempFolder(): string {
  if (own !== undefined) return own;
  const folder = tempFolderOf(process.pid);
  if (folder === undefined) throw new Error(`cannot read /proc/${process.pid}/stat: the engines run on Linux only`);
  removeFoldersOfDeadProcesses();
  mkdirSync(folder, { recursive: true });
  process.env.TMPDIR = folder;
  own = folder;
  process.on('exit', () => {
    removeQuietly(folder);
    removeFoldersOfDeadProcesses();
  });
  return folder;
}
