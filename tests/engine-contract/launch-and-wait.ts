/**
 * Test helper, run as its own Node process by webkitgtk-driver.spec.ts: launches the engine,
 * loads a page, prints the pids of every process it started as one JSON line, then waits to be
 * killed. The spec kills it (SIGKILL / SIGINT) and checks that none of those pids survive.
 */
import { launchWebKitGtk } from '../framework/engines/webkitgtk/index.js';
import { descendantsOf } from '../framework/engines/webkitgtk/processes.js';

const engine = await launchWebKitGtk();
const page = await engine.newPage();
await page.goto(process.argv[2] ?? 'about:blank');
const pids = descendantsOf(process.pid).map((ref) => ref.pid);
process.stdout.write(`${JSON.stringify({ pids })}\n`);
// Keep the event loop busy until a signal ends the process.
setInterval(() => undefined, 60_000);
