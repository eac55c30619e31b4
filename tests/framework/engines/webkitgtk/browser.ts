/** Xvfb and MiniBrowser: starting them, telling when they are ready, and stopping them. */
import getPort from 'get-port';
import { InspectorSession } from './inspector.js';
import { ownsListeningSocket, spawnSupervised, type SupervisedProcess } from './processes.js';
import { delay, withTimeout } from './util.js';
import { followWorkers } from './workers.js';

export interface VirtualDisplay {
  /** The N of DISPLAY=:N, chosen by Xvfb itself (-displayfd), so parallel workers never collide. */
  display: number;
  process: SupervisedProcess;
}

export async function startXvfb(xvfbPath: string, timeoutMs: number): Promise<VirtualDisplay> {
  const proc = spawnSupervised('Xvfb', xvfbPath, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp', '-noreset'], {
    extraStdio: ['pipe'],
  });
  const displayFd = proc.child.stdio[3];
  try {
    // Xvfb writes "N\n" to fd 3 once it accepts connections on display :N.
    const display = await withTimeout(
      new Promise<number>((resolve, reject) => {
        let text = '';
        displayFd?.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes('\n')) resolve(Number.parseInt(text, 10));
        });
        void proc.exited.then(() => reject(new Error(`webkit: ${proc.describeExit()}`)));
      }),
      timeoutMs,
      `webkit: Xvfb did not report a display within ${timeoutMs} ms`,
    );
    if (!Number.isInteger(display)) throw new Error('webkit: Xvfb reported no display number');
    return { display, process: proc };
  } catch (error) {
    await proc.terminate();
    throw error;
  } finally {
    displayFd?.destroy();
  }
}

class PortTakenError extends Error {}

const PORT_ATTEMPTS = 3;

export class MiniBrowserProcess {
  private constructor(
    readonly process: SupervisedProcess,
    readonly session: InspectorSession,
    readonly inspectorPort: number,
  ) {}

  /** Whether the browser and its inspector connection are still usable. */
  get isAlive(): boolean {
    return this.process.status === undefined && this.session.isConnected;
  }

  static async launch(miniBrowserPath: string, display: number, timeoutMs: number, extraArgs: readonly string[] = []): Promise<MiniBrowserProcess> {
    for (let attempt = 1; ; attempt++) {
      const port = await getPort({ host: '127.0.0.1' });
      const proc = spawnSupervised('MiniBrowser', miniBrowserPath, [...extraArgs, '--private', 'about:blank'], { env: miniBrowserEnv(display, port) });
      try {
        const socketPath = await waitForInspector(proc, port, timeoutMs);
        const session = await InspectorSession.connect(`ws://127.0.0.1:${port}${socketPath}`, timeoutMs);
        followWorkers(session);
        return new MiniBrowserProcess(proc, session, port);
      } catch (error) {
        await proc.terminate();
        // Another worker may have drawn the same free port from get-port and bound it first.
        if (error instanceof PortTakenError && attempt < PORT_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  async close(): Promise<void> {
    await this.session.close().catch(() => undefined);
    await this.process.terminate();
  }
}

function miniBrowserEnv(display: number, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DISPLAY: `:${display}`,
    WEBKIT_INSPECTOR_HTTP_SERVER: `127.0.0.1:${port}`,
    // Only our Xvfb, even on a desktop with Wayland.
    GDK_BACKEND: 'x11',
    // No accessibility bus, and no user session bus to share or to autolaunch one from.
    NO_AT_BRIDGE: '1',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/cors-suite-no-session-bus',
  };
  delete env.WAYLAND_DISPLAY;
  delete env.WEBKIT_INSPECTOR_SERVER;
  return env;
}

/** Polls until our MiniBrowser's inspector HTTP server lists a page; returns its WebSocket path. */
async function waitForInspector(proc: SupervisedProcess, port: number, timeoutMs: number): Promise<string> {
  const pid = proc.pid;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.status) throw new Error(`webkit: MiniBrowser did not start: ${proc.describeExit()}`);
    if (proc.output().includes('Failed to start remote inspector HTTP server')) {
      throw new PortTakenError(`webkit: inspector port ${port} is taken`);
    }
    // Only ask once the port is ours: another worker's MiniBrowser would answer just the same.
    if (pid !== undefined && ownsListeningSocket(pid, port)) {
      const path = await findPageSocketPath(port);
      if (path) return path;
    }
    if (Date.now() >= deadline) {
      throw new Error(`webkit: MiniBrowser's inspector did not come up on 127.0.0.1:${port} within ${timeoutMs} ms`);
    }
    await delay(20);
  }
}

/** Fetches the inspector's target list page and returns the WebSocket path of the first page. */
async function findPageSocketPath(port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
    const html = await response.text();
    return /\/socket\/\d+\/\d+\/WebPage/.exec(html)?.[0];
  } catch {
    // Not listening yet (ECONNREFUSED) is the normal case while MiniBrowser starts.
    return undefined;
  }
}
