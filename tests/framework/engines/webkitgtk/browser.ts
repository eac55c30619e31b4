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

/** The URL of MiniBrowser's own page that lists and clears the session's website data (./reset.ts). */
export const ABOUT_DATA_URL = 'minibrowser-about:data';

/**
 * One MiniBrowser window with two tabs: the page the tests drive (shown, so screenshots and
 * rendering work as for a user) and, behind it, MiniBrowser's about:data page, which wipes the
 * session between pages. Wiping from its own tab keeps the test tab on its site: loading
 * about:data there meant two cross-site navigations per test, each in a new WebContent process.
 */
export class MiniBrowserProcess {
  private constructor(
    readonly process: SupervisedProcess,
    /** The test tab. */
    readonly session: InspectorSession,
    /** The about:data tab. */
    readonly dataSession: InspectorSession,
    readonly inspectorPort: number,
  ) {}

  /** Whether the browser and both inspector connections are still usable. */
  get isAlive(): boolean {
    return this.process.status === undefined && this.session.isConnected && this.dataSession.isConnected;
  }

  static async launch(miniBrowserPath: string, display: number, timeoutMs: number, extraArgs: readonly string[] = []): Promise<MiniBrowserProcess> {
    for (let attempt = 1; ; attempt++) {
      const port = await getPort({ host: '127.0.0.1' });
      // Each URL opens a tab; the first one is shown.
      const proc = spawnSupervised('MiniBrowser', miniBrowserPath, [...extraArgs, '--private', 'about:blank', ABOUT_DATA_URL], {
        env: miniBrowserEnv(display, port),
      });
      try {
        const sockets = await waitForInspector(proc, port, timeoutMs);
        const [session, dataSession] = await Promise.all(
          [sockets.page, sockets.data].map((path) => InspectorSession.connect(`ws://127.0.0.1:${port}${path}`, timeoutMs)),
        );
        if (!session || !dataSession) throw new Error('webkit: no inspector session');
        followWorkers(session);
        return new MiniBrowserProcess(proc, session, dataSession, port);
      } catch (error) {
        await proc.terminate();
        // Another worker may have drawn the same free port from get-port and bound it first.
        if (error instanceof PortTakenError && attempt < PORT_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.session.close(), this.dataSession.close()]).catch(() => undefined);
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

interface TabSockets {
  /** WebSocket paths of the test tab and of the about:data tab. */
  page: string;
  data: string;
}

/** Polls until our MiniBrowser's inspector HTTP server lists both tabs; returns their WebSocket paths. */
async function waitForInspector(proc: SupervisedProcess, port: number, timeoutMs: number): Promise<TabSockets> {
  const pid = proc.pid;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.status) throw new Error(`webkit: MiniBrowser did not start: ${proc.describeExit()}`);
    if (proc.output().includes('Failed to start remote inspector HTTP server')) {
      throw new PortTakenError(`webkit: inspector port ${port} is taken`);
    }
    // Only ask once the port is ours: another worker's MiniBrowser would answer just the same.
    if (pid !== undefined && ownsListeningSocket(pid, port)) {
      const sockets = await findTabSockets(port);
      if (sockets) return sockets;
    }
    if (Date.now() >= deadline) {
      throw new Error(`webkit: MiniBrowser's inspector did not come up on 127.0.0.1:${port} within ${timeoutMs} ms`);
    }
    await delay(20);
  }
}

/** Reads the inspector's target list page (a row per tab: its URL, its WebSocket path) once both tabs have their URL. */
async function findTabSockets(port: number): Promise<TabSockets | undefined> {
  let html: string;
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
    html = await response.text();
  } catch {
    // Not listening yet (ECONNREFUSED) is the normal case while MiniBrowser starts.
    return undefined;
  }
  const rows = [...html.matchAll(/class="targeturl">([^<]*)<[\s\S]*?(\/socket\/\d+\/\d+\/WebPage)/g)].map((m) => ({ url: m[1], path: m[2] }));
  const data = rows.find((row) => row.url === ABOUT_DATA_URL)?.path;
  const page = rows.find((row) => row.url === 'about:blank')?.path;
  return page && data ? { page, data } : undefined;
}
