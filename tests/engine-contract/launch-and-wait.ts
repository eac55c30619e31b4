/**
 * Test helper, run as its own Node process by engine-page.spec.ts: launches the engine named in
 * argv[2], loads argv[3], prints the pids of every process it started as one JSON line, then
 * waits to be killed. The spec kills it (SIGKILL / SIGINT) and checks that none of those survive.
 */
import type { EngineName } from '../framework/engines/engine.js';
import { launchEngine } from '../framework/engines/launch.js';
import { descendantsOf } from '../framework/engines/process-tree.js';

const engine = await launchEngine((process.argv[2] ?? 'webkit') as EngineName);
const page = await engine.newPage();
await page.goto(process.argv[3] ?? 'about:blank');
const pids = descendantsOf(process.pid).map((ref) => ref.pid);
process.stdout.write(`${JSON.stringify({ pids })}\n`);
// Keep the event loop busy until a signal ends the process.
setInterval(() => undefined, 60_000);
