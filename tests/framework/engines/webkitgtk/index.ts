/**
 * The system WebKit engine: Debian's WebKitGTK MiniBrowser under a private Xvfb, driven over
 * WebKit's remote inspector protocol (Playwright cannot drive a stock WebKit; see README.md).
 *
 * One MiniBrowser per Engine, one page at a time, always in the same tab. newPage() wipes the
 * browser's website data through MiniBrowser's about:data page in a second tab; if that ever
 * fails, or the browser died, it starts a new MiniBrowser instead, whose private session starts
 * empty.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { promisify } from 'node:util';
import { EngineUnavailableError, type Engine, type EngineInfo, type EnginePage } from '../engine.js';
import { MiniBrowserProcess, startXvfb, type VirtualDisplay } from './browser.js';
import { WebKitPage } from './page.js';
import { findExecutable, spawnSupervised } from './processes.js';
import { clearWebsiteData } from './reset.js';
import { navigate } from './runtime.js';
import { errorMessage, withTimeout } from './util.js';

export interface WebKitGtkLaunchOptions {
  /** Defaults to Debian's /usr/lib/<multiarch>/webkit2gtk-4.1/MiniBrowser. */
  miniBrowserPath?: string;
  /** Defaults to Xvfb on PATH. */
  xvfbPath?: string;
  /** For Xvfb and MiniBrowser each to come up (default 20 s: several workers start at once). */
  startupTimeoutMs?: number;
  /** More MiniBrowser switches (proxy, TLS, cookie policy: ../site-access.ts), kept across restarts. */
  extraArgs?: readonly string[];
}

const MULTIARCH: Partial<Record<NodeJS.Architecture, string>> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };
const DEFAULT_MINIBROWSER_PATH = `/usr/lib/${MULTIARCH[process.arch] ?? 'x86_64-linux-gnu'}/webkit2gtk-4.1/MiniBrowser`;

const SETUP_HINT = 'run `npm run setup` (installs webkit2gtk-driver and xvfb)';
const RESET_TIMEOUT_MS = 10_000;

export async function launchWebKitGtk(options: WebKitGtkLaunchOptions = {}): Promise<Engine> {
  const miniBrowserPath = options.miniBrowserPath ?? DEFAULT_MINIBROWSER_PATH;
  const startupTimeoutMs = options.startupTimeoutMs ?? 20_000;
  const extraArgs = options.extraArgs ?? [];
  if (!isExecutable(miniBrowserPath)) {
    throw new EngineUnavailableError(`webkit: WebKitGTK MiniBrowser not found at ${miniBrowserPath}; ${SETUP_HINT}`);
  }
  const xvfbPath = findExecutable(options.xvfbPath ?? 'Xvfb');
  if (!xvfbPath) throw new EngineUnavailableError(`webkit: Xvfb not found (${options.xvfbPath ?? 'Xvfb on PATH'}); ${SETUP_HINT}`);
  if (!findExecutable('setpriv', ['/usr/bin', '/bin'])) {
    throw new EngineUnavailableError('webkit: setpriv not found on PATH; install util-linux');
  }

  const xvfb = await startXvfb(xvfbPath, startupTimeoutMs);
  try {
    const [browser, version] = await Promise.all([
      MiniBrowserProcess.launch(miniBrowserPath, xvfb.display, startupTimeoutMs, extraArgs),
      webKitGtkVersion(miniBrowserPath, xvfb.display),
    ]);
    return new WebKitGtkEngine(
      {
        name: 'webkit',
        kind: 'system',
        version,
        description: `WebKitGTK ${version} MiniBrowser (system) via WebKit remote inspector under Xvfb`,
      },
      { miniBrowserPath, startupTimeoutMs, extraArgs },
      xvfb,
      browser,
    );
  } catch (error) {
    await xvfb.process.terminate();
    throw error;
  }
}

class WebKitGtkEngine implements Engine {
  private page: WebKitPage | undefined;
  /** Whether a page has run in the current browser, i.e. whether its data needs wiping. */
  private used = false;
  /** Whether the test tab is at about:blank since its last page closed (nothing of it still runs). */
  private parked = true;
  /** newPage() and close() run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly info: EngineInfo,
    private readonly config: { miniBrowserPath: string; startupTimeoutMs: number; extraArgs: readonly string[] },
    private readonly xvfb: VirtualDisplay,
    private browser: MiniBrowserProcess | undefined,
  ) {}

  newPage(): Promise<EnginePage> {
    return this.serialised(async () => {
      if (this.closed) throw new Error('webkit: the engine is closed');
      await this.page?.close();
      const browser = await this.cleanBrowser();
      this.used = true;
      this.parked = false;
      this.page = new WebKitPage(browser.session, (page) => this.onPageClosed(page, browser));
      return this.page;
    });
  }

  close(): Promise<void> {
    return this.serialised(async () => {
      if (this.closed) return;
      this.closed = true;
      this.page = undefined;
      const browser = this.browser;
      this.browser = undefined;
      try {
        await browser?.close();
      } finally {
        await this.xvfb.process.terminate();
      }
    });
  }

  /** A running browser with no website data in it, at about:blank. */
  private async cleanBrowser(): Promise<MiniBrowserProcess> {
    if (this.browser?.isAlive && this.used) {
      try {
        if (!this.parked) await navigate(this.browser.session, 'about:blank', RESET_TIMEOUT_MS);
        this.parked = true;
        await withTimeout(clearWebsiteData(this.browser.dataSession, RESET_TIMEOUT_MS), RESET_TIMEOUT_MS * 2, 'webkit: reset timed out');
        this.used = false;
      } catch (error) {
        // A fresh browser is clean by construction; better slow than a test seeing old cookies.
        process.emitWarning(`webkit: could not clear website data (${errorMessage(error)}); restarting MiniBrowser`);
        await this.restartBrowser();
      }
    } else if (!this.browser?.isAlive) {
      await this.restartBrowser();
    }
    if (!this.browser) throw new Error('webkit: no browser');
    return this.browser;
  }

  private async restartBrowser(): Promise<void> {
    const old = this.browser;
    this.browser = undefined;
    await old?.close();
    this.browser = await MiniBrowserProcess.launch(this.config.miniBrowserPath, this.xvfb.display, this.config.startupTimeoutMs, this.config.extraArgs);
    this.used = false;
    this.parked = true;
  }

  private async onPageClosed(page: WebKitPage, browser: MiniBrowserProcess): Promise<void> {
    if (this.page === page) this.page = undefined;
    // Stop the page's scripts and requests now rather than at the next newPage().
    // Awaiting the load matters: a navigation still in flight would confuse the next one.
    if (browser.isAlive && this.browser === browser) {
      this.parked = await navigate(browser.session, 'about:blank', 5_000).then(
        () => true,
        () => false,
      );
    }
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** "2.50.6": from `MiniBrowser --version` (it needs a display), else from dpkg. */
async function webKitGtkVersion(miniBrowserPath: string, display: number): Promise<string> {
  const proc = spawnSupervised('MiniBrowser --version', miniBrowserPath, ['--version'], {
    env: { ...process.env, DISPLAY: `:${display}`, GDK_BACKEND: 'x11' },
  });
  await withTimeout(proc.exited, 10_000, 'timeout').catch(() => proc.terminate());
  const fromBinary = /WebKitGTK (\d+\.\d+\.\d+)/.exec(proc.output())?.[1];
  if (fromBinary) return fromBinary;
  try {
    const { stdout } = await promisify(execFile)('dpkg-query', ['-W', '-f', '${Version}', 'libwebkit2gtk-4.1-0']);
    return /^(\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
