/**
 * Telling a benchmark run's processes from everyone else's: every run gets a marker in its
 * environment, which everything it starts inherits (orphans included), and what still carries
 * it after the run has ended was left behind.
 */
import { processesWithEnv, type ProcessInfo } from '../../tests/framework/engines/process-tree.js';

export const RUN_MARKER = 'CORS_BENCH_RUN';

/** How long exiting processes get to be reaped before they count as left behind. */
const REAP_LIMIT_MS = 5_000;

/** A marker value of its own for the run `label`. */
export function markerFor(label: string): string {
  return `${process.pid}-${label.replaceAll(' ', '-')}-${performance.now().toFixed(0)}`;
}

/** Live processes the run marked `runId` started, once exiting ones have had REAP_LIMIT_MS to go. */
export async function leftoversOf(runId: string): Promise<ProcessInfo[]> {
  const until = Date.now() + REAP_LIMIT_MS;
  for (;;) {
    const left = processesWithEnv(RUN_MARKER, runId);
    if (left.length === 0 || Date.now() >= until) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
