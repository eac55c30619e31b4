/**
 * `npm run bench [-- <playwright test args>]`: runs the suite once and reports what the
 * guide's speed, memory and leak targets are judged on: wall time, test counts, the peak
 * memory of the whole process tree, and any browser/Xvfb process left behind afterwards.
 * Measured here, never asserted inside a test.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

interface ProcInfo {
  pid: number;
  ppid: number;
  rssKb: number;
  command: string;
}

function processes(): ProcInfo[] {
  const list: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      list.push({ pid: Number(entry), ppid, rssKb, command });
    } catch {
      // The process ended while we looked.
    }
  }
  return list;
}

function tree(root: number, all: ProcInfo[]): ProcInfo[] {
  const byParent = new Map<number, ProcInfo[]>();
  for (const p of all) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const result: ProcInfo[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of byParent.get(pid) ?? []) {
      result.push(child);
      queue.push(child.pid);
    }
  }
  return result;
}

const SUITE_PROCESS = /MiniBrowser|WebKitWebProcess|WebKitNetworkProcess|Xvfb|chromium|chrome|firefox/;
const before = new Set(processes().filter((p) => SUITE_PROCESS.test(p.command)).map((p) => p.pid));

const args = ['playwright', 'test', '--reporter=json', ...process.argv.slice(2)];
const started = performance.now();
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env } });
let json = '';
child.stdout.on('data', (chunk: Buffer) => (json += chunk.toString()));

let peakKb = 0;
let peakProcesses = 0;
const sampler = setInterval(() => {
  const all = tree(child.pid ?? -1, processes());
  peakKb = Math.max(peakKb, all.reduce((sum, p) => sum + p.rssKb, 0));
  peakProcesses = Math.max(peakProcesses, all.length);
}, 250);

const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
clearInterval(sampler);
const seconds = (performance.now() - started) / 1000;

interface JsonReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number; duration: number };
}
let stats: JsonReport['stats'] | undefined;
try {
  stats = (JSON.parse(json) as JsonReport).stats;
} catch {
  console.error('bench: the JSON report could not be read; the run printed:\n' + json.slice(0, 2000));
}
const leftovers = processes().filter((p) => SUITE_PROCESS.test(p.command) && !before.has(p.pid));

console.log(`wall time:        ${seconds.toFixed(1)} s`);
if (stats) {
  const total = stats.expected + stats.unexpected + stats.flaky + stats.skipped;
  console.log(`tests:            ${total} (${stats.expected} passed, ${stats.unexpected} failed, ${stats.flaky} flaky, ${stats.skipped} skipped)`);
  console.log(`per test:         ${((seconds * 1000) / Math.max(total, 1)).toFixed(0)} ms of wall time`);
}
console.log(`peak memory:      ${(peakKb / 1024).toFixed(0)} MiB RSS summed over ${peakProcesses} processes at most`);
console.log(`left behind:      ${leftovers.length === 0 ? 'nothing' : leftovers.map((p) => `${p.pid} ${p.command.slice(0, 80)}`).join('; ')}`);
process.exit(code === 0 && leftovers.length === 0 ? 0 : 1);
