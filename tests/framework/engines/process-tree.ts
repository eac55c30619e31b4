/**
 * The one /proc reader of the suite (Linux only, like the engines it watches): which processes
 * descend from which, whether a recorded process is still the same and alive, and what each
 * runs and holds in memory. Used by the WebKitGTK driver, the engine specs and the benchmark.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** A pid plus its start time, so a recycled pid is never mistaken for (or killed as) ours. */
export interface ProcessRef {
  pid: number;
  startTime: string;
}

export interface ProcessInfo extends ProcessRef {
  ppid: number;
  /** R, S, D, Z (zombie), ... */
  state: string;
  rssKb: number;
  /** The command line, arguments separated by spaces. */
  command: string;
}

interface StatFields {
  state: string;
  ppid: number;
  startTime: string;
  rssPages: number;
}

const PAGE_KB = 4;

function readStat(pid: number): StatFields | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [state, ppid] = fields;
    const startTime = fields[19];
    if (state === undefined || ppid === undefined || startTime === undefined) return undefined;
    return { state, ppid: Number(ppid), startTime, rssPages: Number(fields[21] ?? 0) };
  } catch {
    return undefined;
  }
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/** `pid` as a ProcessRef (with its start time), or undefined when no such process runs. */
export function processRefOf(pid: number): ProcessRef | undefined {
  const stat = readStat(pid);
  return stat === undefined ? undefined : { pid, startTime: stat.startTime };
}

/** Alive = exists, is the same process, and is not a zombie waiting to be reaped. */
export function isAlive(ref: ProcessRef): boolean {
  const stat = readStat(ref.pid);
  return stat !== undefined && stat.startTime === ref.startTime && stat.state !== 'Z' && stat.state !== 'X';
}

export function killIfSame(ref: ProcessRef, signal: NodeJS.Signals): void {
  if (!isAlive(ref)) return;
  try {
    process.kill(ref.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Every process now (those that end while we read are left out). */
export function processTable(): ProcessInfo[] {
  const table: ProcessInfo[] = [];
  for (const pid of pids()) {
    const stat = readStat(pid);
    if (!stat) continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      continue;
    }
    table.push({ pid, ppid: stat.ppid, startTime: stat.startTime, state: stat.state, rssKb: stat.rssPages * PAGE_KB, command });
  }
  return table;
}

/** All descendants of `pid` (children, grandchildren, ...) in `table` (default: now), zombies included. */
export function descendantsIn(pid: number, table: ProcessInfo[]): ProcessInfo[] {
  const childrenOf = new Map<number, ProcessInfo[]>();
  for (const proc of table) childrenOf.set(proc.ppid, [...(childrenOf.get(proc.ppid) ?? []), proc]);
  const result: ProcessInfo[] = [];
  const queue = [...(childrenOf.get(pid) ?? [])];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    result.push(next);
    queue.push(...(childrenOf.get(next.pid) ?? []));
  }
  return result;
}

/** All live descendants of `pid` (children, grandchildren, ...). */
export function descendantsOf(pid: number): ProcessRef[] {
  return descendantsIn(pid, processTable())
    .filter((proc) => proc.state !== 'Z' && proc.state !== 'X')
    .map(({ pid: child, startTime }) => ({ pid: child, startTime }));
}

/** What the suite's engines run: browsers, their helpers, Xvfb, and the leash around them. */
const BROWSER_PROCESS = /MiniBrowser|WebKitWebProcess|WebKitNetworkProcess|Xvfb|chromium|chrome|firefox|crashhelper|browser-leash/;

/** Live processes that look like a browser of the suite's engines. */
export function browserProcesses(table = processTable()): ProcessInfo[] {
  return table.filter((proc) => BROWSER_PROCESS.test(proc.command) && proc.state !== 'Z' && proc.state !== 'X');
}

/** Live processes whose environment holds `name=value` (a marker a run passes down to all it starts, orphans included). */
export function processesWithEnv(name: string, value: string, table = processTable()): ProcessInfo[] {
  const marker = `${name}=${value}`;
  return table.filter((proc) => {
    if (proc.state === 'Z' || proc.state === 'X') return false;
    try {
      return readFileSync(`/proc/${proc.pid}/environ`, 'utf8').split('\0').includes(marker);
    } catch {
      return false;
    }
  });
}
