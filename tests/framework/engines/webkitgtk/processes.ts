/**
 * Child processes that cannot outlive the test process: Xvfb and MiniBrowser.
 *
 * Every child is started through `setpriv --pdeathsig KILL`, which sets PR_SET_PDEATHSIG and then
 * execs the real binary (same pid). If Node dies in any way (SIGINT, SIGKILL, crash), the kernel
 * SIGKILLs the child; MiniBrowser's own WebKit*Process children then exit because their IPC
 * connection to the UI process closes. `terminate()` is the orderly path: it also sweeps the
 * grandchildren so that nothing is left once it resolves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { descendantsOf, isAlive, killIfSame } from '../process-tree.js';
import { delimiter, join } from 'node:path';
import { pollUntil } from './util.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  error?: Error;
}

const OUTPUT_LIMIT = 8_192;

export class SupervisedProcess {
  readonly exited: Promise<ExitStatus>;
  private exitStatus: ExitStatus | undefined;
  private recentOutput = '';

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitStatus ??= { code, signal };
        resolve(this.exitStatus);
      });
      child.once('error', (error) => {
        // 'error' without 'exit' means spawn failed; otherwise 'exit' follows and wins.
        if (child.pid === undefined) {
          this.exitStatus = { code: null, signal: null, error };
          resolve(this.exitStatus);
        }
      });
    });
    // Always drain the pipes: a child blocked on a full stderr pipe looks like a hang.
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.recentOutput = (this.recentOutput + chunk).slice(-OUTPUT_LIMIT);
      });
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get status(): ExitStatus | undefined {
    return this.exitStatus;
  }

  /** The tail of what the process printed (stdout and stderr interleaved). */
  output(): string {
    return this.recentOutput;
  }

  /** One line describing how the process ended, plus its last output line, for error messages. */
  describeExit(): string {
    const status = this.exitStatus;
    if (!status) return `${this.name} is still running`;
    const how = status.error
      ? `could not be started (${status.error.message})`
      : status.signal
        ? `was killed by ${status.signal}`
        : `exited with code ${status.code}`;
    const lastLine = this.recentOutput.trim().split('\n').pop()?.trim();
    return `${this.name} ${how}${lastLine ? `: ${lastLine}` : ''}`;
  }

  /** Kills the process and its descendants, and resolves once none of them exists any more. */
  async terminate(graceMs = 2_000): Promise<void> {
    const pid = this.child.pid;
    // Once exited, the pid may already belong to someone else: nothing of ours to look up.
    if (pid === undefined || this.exitStatus) return;
    // Collect grandchildren first: once the parent is gone they are re-parented and untraceable.
    const descendants = descendantsOf(pid);
    this.child.kill('SIGTERM');
    const escalation = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(escalation);
    // MiniBrowser's WebKit*Process children exit by themselves when it is gone; make sure of it.
    const leftovers = descendants.filter((p) => isAlive(p));
    for (const p of leftovers) killIfSame(p, 'SIGKILL');
    const gone = await pollUntil(() => leftovers.every((p) => !isAlive(p)), 5_000);
    if (!gone) throw new Error(`${this.name}: child processes ${leftovers.map((p) => p.pid).join(', ')} did not exit`);
  }
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** Extra stdio entries after stdin/stdout/stderr (e.g. a pipe on fd 3 for Xvfb's -displayfd). */
  extraStdio?: Array<'pipe' | 'ignore'>;
}

/** Starts `command` under `setpriv --pdeathsig KILL`, so it dies with this Node process. */
export function spawnSupervised(name: string, command: string, args: string[], options: SpawnOptions = {}): SupervisedProcess {
  const child = spawn(setprivPath(), ['--pdeathsig', 'KILL', command, ...args], {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', ...(options.extraStdio ?? [])],
  });
  return new SupervisedProcess(name, child);
}

/** An executable's absolute path: `name` itself if it contains a slash, else looked up on PATH. */
export function findExecutable(name: string, extraDirs: string[] = []): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : [...(process.env.PATH ?? '').split(delimiter), ...extraDirs].filter(Boolean).map((dir) => join(dir, name));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

let cachedSetpriv: string | undefined;
function setprivPath(): string {
  cachedSetpriv ??= findExecutable('setpriv', ['/usr/bin', '/bin']) ?? 'setpriv';
  return cachedSetpriv;
}

/**
 * Whether process `pid` holds the listening TCP socket on 127.0.0.1:`port`.
 * Two workers can draw the same "free" port from get-port; this tells our inspector
 * server apart from another worker's, which answers HTTP just the same.
 */
export function ownsListeningSocket(pid: number, port: number): boolean {
  const wanted = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let inode: string | undefined;
  try {
    for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address, st (0A = LISTEN), inode
      if (fields[1] === wanted && fields[3] === '0A') inode = fields[9];
    }
  } catch {
    return false;
  }
  if (!inode) return false;
  const target = `socket:[${inode}]`;
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === target;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
