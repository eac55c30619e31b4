/**
 * Every process that launches engines keeps its temporary files (Playwright's browser profiles
 * and artifacts, the Chromium profile holding the cookie policy) in a folder of its own,
 * `<tmp>/cors-conformance/<pid>`, by pointing TMPDIR there. A process that ends normally removes
 * its folder; one killed with SIGKILL cannot, so the folders of dead processes are removed by the
 * next process that starts or ends (measured before: 94 Chromium profiles and 18 Firefox profiles
 * had piled up in /tmp from killed workers and the contract's kill tests).
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Children inherit TMPDIR = their parent's folder; the root stays the first one's.
const ROOT = (process.env.CORS_TEMP_ROOT ??= join(tmpdir(), 'cors-conformance'));

let own: string | undefined;

/** Where every process's own folder lives. */
export const tempRoot = (): string => ROOT;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // A folder that cannot go now goes with a later run; never a reason to fail this one.
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
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) removeQuietly(join(ROOT, name));
  }
}

/** Points this process's TMPDIR at its own folder (once), after clearing dead processes' folders. */
export function useOwnTempFolder(): string {
  if (own !== undefined) return own;
  removeFoldersOfDeadProcesses();
  const folder = join(ROOT, String(process.pid));
  mkdirSync(folder, { recursive: true });
  process.env.TMPDIR = folder;
  own = folder;
  process.on('exit', () => {
    removeQuietly(folder);
    removeFoldersOfDeadProcesses();
  });
  return folder;
}
