/**
 * A reporter the benchmark's stop cases add to a run (scripts/bench/stop-cases.ts). Once
 * FINISHED_BEFORE_STOP tests have ended, as soon as the next test has its page (the setup of its
 * `enginePage` fixture ended; the test is about to use it), it stops the run the way
 * CORS_BENCH_STOP says: `Ctrl-C` sends SIGINT to the run's process group, as a terminal does;
 * `worker SIGKILL` kills the worker (the run has one, so it is that test's); `browser SIGKILL`
 * kills the worker's browser. It prints what it stopped, and how the test it hit ended, as
 * `stop-case: …` lines for the script to read. It lives in the runner, which knows exactly when
 * a test has its page.
 */
import type { Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { descendantsIn, processTable, type ProcessInfo } from '../../tests/framework/engines/process-tree.js';

const FINISHED_BEFORE_STOP = 3;

/** The browser's own process, not its helpers (renderers, content processes, crash handlers). */
const BROWSER_MAIN = /\/MiniBrowser |chrom(e|ium)|firefox/;
const BROWSER_HELPER = /--type=|-contentproc|browser-leash|crashpad|crashhelper/;

export default class StopReporter implements Reporter {
  private readonly stop = process.env.CORS_BENCH_STOP ?? '';
  private finished = 0;
  private hit: TestCase | undefined;

  onStepEnd(test: TestCase, _result: TestResult, step: TestStep): void {
    if (this.hit !== undefined || this.finished < FINISHED_BEFORE_STOP || step.title !== 'Fixture "enginePage"') return;
    this.hit = test;
    console.log(`stop-case: stopped ${this.apply()} during "${test.title}"`);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.finished += 1;
    if (test !== this.hit) return;
    const error = result.error?.message?.replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0] ?? '';
    console.log(`stop-case: the test it hit ${result.status}${error ? `: ${error}` : ''}`);
  }

  printsToStdio(): boolean {
    return false;
  }

  private apply(): string {
    if (this.stop === 'Ctrl-C') {
      // 0: this process's group, which the benchmark started as a terminal starts a command.
      process.kill(0, 'SIGINT');
      return 'the process group with SIGINT';
    }
    // A worker's index is not in its environment at start (/proc shows only that), hence one worker.
    const tree = descendantsIn(process.pid, processTable()).filter((proc) => proc.state !== 'Z');
    const workers = tree.filter((proc) => proc.command.includes('workerProcessEntry'));
    const [worker] = workers;
    if (worker === undefined || workers.length > 1) return `nothing: ${workers.length} worker processes, not one (run with --workers=1)`;
    const victim = this.stop === 'worker SIGKILL' ? worker : browserOf(worker, tree);
    if (victim === undefined) return 'nothing: no browser under the worker';
    process.kill(victim.pid, 'SIGKILL');
    return `${victim.pid} (${victim.command.split(' ')[0]?.split('/').pop() ?? '?'}) with SIGKILL`;
  }
}

function browserOf(worker: ProcessInfo, table: ProcessInfo[]): ProcessInfo | undefined {
  const isMain = (proc: ProcessInfo): boolean => BROWSER_MAIN.test(proc.command) && !BROWSER_HELPER.test(proc.command);
  const below = descendantsIn(worker.pid, table);
  return below.find((proc) => isMain(proc) && !below.some((parent) => parent.pid === proc.ppid && isMain(parent)));
}
