/**
 * The benchmark's stop cases: one engine's seed scenarios run as a user runs them (one worker,
 * so the worker hit is the test's), and stopped
 * the ways a run gets stopped, in the body of the fourth test (`stop-reporter.ts` does the stop):
 * Ctrl-C (SIGINT to the run's process group, as a terminal sends it), the test's worker killed
 * with SIGKILL, its browser killed with SIGKILL. Then: how long until every process the run
 * started was gone, every one still alive (found by a marker in its environment, orphans
 * included), how the test that was hit ended and how the others did. A normal run's leftovers
 * are the suite run's own figure in the benchmark.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessInfo } from '../../tests/framework/engines/process-tree.js';
import { leftoversOf, markerFor, RUN_MARKER } from './run-marker.js';

export type EngineName = 'chromium' | 'firefox' | 'webkit';
type StopCase = 'Ctrl-C' | 'worker SIGKILL' | 'browser SIGKILL';

const STOP_CASES: readonly StopCase[] = ['Ctrl-C', 'worker SIGKILL', 'browser SIGKILL'];
const SPEC = 'tests/scenarios/seed-scenarios.spec.ts';
const STOP_REPORTER = './scripts/bench/stop-reporter.ts';
/** How long a stopped run may take to end before it counts as hung (and is killed). */
const END_LIMIT_MS = 180_000;

export interface StopOutcome {
  engine: EngineName;
  stop: StopCase;
  /** The reporter's words: what it stopped, in which test; undefined if it never did. */
  stopped: string | undefined;
  /** How the test it hit ended, in the reporter's words (none after Ctrl-C: the run ends). */
  hit: string | undefined;
  /** Seconds from the stop until the runner had exited and every process it started was gone; undefined if it hung. */
  endedAfter: number | undefined;
  counts: Record<string, number>;
  leftovers: ProcessInfo[];
}

interface JsonSuite {
  specs?: { tests: { results: { status: string }[] }[] }[];
  suites?: JsonSuite[];
}

/** Results by status (passed, failed, interrupted, …) from the run's JSON report. */
function countResults(file: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const walk = (suite: JsonSuite): void => {
    for (const result of (suite.specs ?? []).flatMap((spec) => spec.tests).flatMap((test) => test.results)) {
      counts[result.status] = (counts[result.status] ?? 0) + 1;
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  try {
    for (const suite of (JSON.parse(readFileSync(file, 'utf8')) as { suites?: JsonSuite[] }).suites ?? []) walk(suite);
  } catch {
    counts['(no report)'] = 1;
  }
  return counts;
}

/** Runs the engine's seed scenarios, has the stop reporter stop them as `stop` says, and reports. */
async function runStopCase(engine: EngineName, stop: StopCase): Promise<StopOutcome> {
  const runId = markerFor(`${engine}-${stop}`);
  const folder = mkdtempSync(join(tmpdir(), 'cors-bench-stop-'));
  const jsonFile = join(folder, 'report.json');
  // Its own process group, as a terminal gives a command: Ctrl-C reaches npx, the runner and its workers alike.
  const child = spawn('npx', ['playwright', 'test', `--project=${engine}`, SPEC, '--retries=0', '--workers=1', `--reporter=json,${STOP_REPORTER}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, [RUN_MARKER]: runId, CORS_BENCH_STOP: stop, PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile },
  });
  const outcome: StopOutcome = { engine, stop, stopped: undefined, hit: undefined, endedAfter: undefined, counts: {}, leftovers: [] };
  let stoppedAt: number | undefined;
  let printed = '';
  child.stdout.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
    outcome.stopped ??= /^stop-case: stopped (.*)$/m.exec(printed)?.[1];
    if (outcome.stopped !== undefined) stoppedAt ??= performance.now();
    outcome.hit ??= /^stop-case: the test it hit (.*)$/m.exec(printed)?.[1];
  });
  // The run's group is out of reach of a Ctrl-C to the benchmark: pass it on, then end.
  const passOn = (signal: NodeJS.Signals): void => {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', passOn).once('SIGTERM', passOn);
  const exited = new Promise<boolean>((resolve) => child.on('exit', () => resolve(true)));
  let limit: NodeJS.Timeout | undefined;
  const ended = await Promise.race([exited, new Promise<false>((resolve) => (limit = setTimeout(() => resolve(false), END_LIMIT_MS)))]);
  clearTimeout(limit);
  process.off('SIGINT', passOn).off('SIGTERM', passOn);
  if (!ended && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  outcome.leftovers = await leftoversOf(runId);
  if (ended && stoppedAt !== undefined) outcome.endedAfter = (performance.now() - stoppedAt) / 1000;
  outcome.counts = countResults(jsonFile);
  rmSync(folder, { recursive: true, force: true });
  return outcome;
}

export function describeStop(outcome: StopOutcome): string {
  const { engine, stop, stopped, hit, endedAfter, counts, leftovers } = outcome;
  const what = stopped === undefined ? 'NOTHING STOPPED (the run ended first?)' : `stopped ${stopped}`;
  const ended = endedAfter === undefined ? `the run did NOT end within ${END_LIMIT_MS / 1000} s` : `the run ended ${endedAfter.toFixed(1)} s later`;
  const tests = Object.entries(counts).map(([status, n]) => `${n} ${status}`).join(', ');
  const left = leftovers.length === 0 ? 'nothing left' : `LEFT: ${leftovers.map((p) => `${p.pid} ${p.command.slice(0, 60)}`).join('; ')}`;
  return `${`${engine} ${stop}`.padEnd(24)} ${what}; ${hit === undefined ? '' : `the test ${hit.slice(0, 140)}; `}${ended}: ${tests}; ${left}`;
}

/** Every stop case for `engine`, one after another, each line printed as it ends. */
export async function runStopCases(engine: EngineName): Promise<StopOutcome[]> {
  const outcomes: StopOutcome[] = [];
  for (const stop of STOP_CASES) {
    const outcome = await runStopCase(engine, stop);
    console.log(describeStop(outcome));
    outcomes.push(outcome);
  }
  return outcomes;
}

/** A stop case went wrong: something was left, the run hung, or nothing was stopped. */
export function stopFailed(outcome: StopOutcome): boolean {
  return outcome.leftovers.length > 0 || outcome.endedAfter === undefined || outcome.stopped?.startsWith('nothing') !== false;
}
