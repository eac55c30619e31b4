/** The EnginePage over MiniBrowser's test tab (its one web view the tests drive). */
import { GOTO_TIMEOUT_MS, jarDomain, type EngineCookie, type EngineMessage, type EnginePage } from '../engine.js';
import type { InspectorSession, TargetEvent } from './inspector.js';
import { waitInPage, type PollAnswer } from '../in-page-poll.js';
import { evaluateValue, navigate } from './runtime.js';
import { errorMessage } from './util.js';
import { unwrapWorkerEvent } from './workers.js';

/** What WebKit puts in `Console.messageAdded` params.message (the fields we use). */
interface ConsoleMessage {
  source?: string;
  level?: string;
  text?: string;
  url?: string;
  repeatCount?: number;
  stackTrace?: unknown;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class WebKitPage implements EnginePage {
  private readonly collected: EngineMessage[] = [];
  /** Per target, the last message and how often it has been counted (for repeat-count updates). */
  private readonly lastMessage = new Map<string, { message: EngineMessage | undefined; count: number }>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    private readonly session: InspectorSession,
    private readonly onClose: (page: WebKitPage) => Promise<void>,
  ) {
    this.unsubscribe = session.subscribe((event) => this.onEvent(event));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async goto(url: string, timeoutMs = GOTO_TIMEOUT_MS): Promise<void> {
    this.assertOpen();
    await navigate(this.session, url, timeoutMs);
  }

  async evaluate<T>(expression: string): Promise<T> {
    this.assertOpen();
    try {
      return await evaluateValue<T>(this.session, expression);
    } catch (error) {
      // What the page threw ("TypeError: bad") gets the engine's prefix like every other error.
      const message = errorMessage(error);
      throw message.startsWith('webkit: ') ? error : new Error(`webkit: evaluate: ${message}`);
    }
  }

  /** Polls inside the page (../in-page-poll.ts). */
  async waitForFunction(expression: string, timeoutMs = 10_000): Promise<void> {
    this.assertOpen();
    await waitInPage({
      engineName: 'webkit',
      evaluatePoll: (source) => evaluateValue<PollAnswer>(this.session, source),
      // Anything else is expected while a navigation swaps the target or the new document is not ready yet.
      fatal: () => (this.closed ? new Error('webkit: the page is closed') : undefined),
      describe: errorMessage,
    }, expression, timeoutMs);
  }

  messages(): EngineMessage[] {
    return this.collected.map((message) => ({ ...message }));
  }

  /** Through the inspector's Page.setCookie, into the jar of the tab's (private) session. */
  async addCookie({ url, name, value, domain, path, expires, httpOnly, secure, sameSite }: EngineCookie): Promise<void> {
    this.assertOpen();
    // WebKit's Cookie type wants every field; None is what WebKit assumes of a cookie without SameSite.
    const cookie = {
      name, value, path, httpOnly, secure,
      domain: jarDomain({ url, domain }),
      expires: expires ?? 0,
      session: expires === undefined,
      sameSite: sameSite ?? 'None',
    };
    try {
      await this.session.send('Page.setCookie', { cookie });
    } catch (error) {
      throw new Error(`webkit: addCookie ${name} for ${url}: ${errorMessage(error).replace(/^webkit: /, '')}`);
    }
  }

  async screenshot(selector?: string): Promise<Buffer | undefined> {
    this.assertOpen();
    try {
      // Page coordinates (CSS px from the document origin) also reach elements scrolled out of view.
      const rect = await evaluateValue<Rect | null>(
        this.session,
        `(() => {
          const sel = ${JSON.stringify(selector ?? null)};
          if (sel === null) return { x: scrollX, y: scrollY, width: innerWidth, height: innerHeight };
          const el = document.querySelector(sel);
          if (!el) return null;
          const r = el.getBoundingClientRect();
          return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
        })()`,
      );
      if (!rect || rect.width <= 0 || rect.height <= 0) return undefined;
      const x = Math.floor(rect.x);
      const y = Math.floor(rect.y);
      const { dataURL } = await this.session.send<{ dataURL: string }>('Page.snapshotRect', {
        x,
        y,
        width: Math.ceil(rect.x + rect.width) - x,
        height: Math.ceil(rect.y + rect.height) - y,
        coordinateSystem: 'Page',
      });
      const png = Buffer.from(dataURL.slice(dataURL.indexOf(',') + 1), 'base64');
      return png.length > 0 ? png : undefined;
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    await this.onClose(this);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('webkit: the page is closed');
  }

  private onEvent(wrapped: TargetEvent): void {
    const event = unwrapWorkerEvent(wrapped) ?? wrapped;
    if (event.method === 'Console.messageAdded') {
      const raw = event.params.message as ConsoleMessage | undefined;
      if (!raw) return;
      const message = isBrowserFaviconNoise(raw) ? undefined : toEngineMessage(raw);
      if (message) this.collected.push(message);
      this.lastMessage.set(event.targetId, { message, count: raw.repeatCount ?? 1 });
    } else if (event.method === 'Console.messageRepeatCountUpdated') {
      // WebKit merges identical consecutive messages; unfold them so counts match other engines.
      const last = this.lastMessage.get(event.targetId);
      const count = Number(event.params.count);
      if (!last || !Number.isFinite(count)) return;
      for (let i = last.count; i < count; i++) if (last.message) this.collected.push({ ...last.message });
      last.count = Math.max(last.count, count);
    }
    // Console.messagesCleared (every new document) is ignored: messages() spans navigations.
  }
}

function toEngineMessage(raw: ConsoleMessage): EngineMessage {
  const level = (raw.level ?? 'log').toLowerCase();
  const text = raw.text ?? '';
  // An uncaught exception is a 'javascript' error with a stack (the engine's CORS lines of that source have none);
  // worded like Playwright's pageerror: "boom" for a plain Error, "TypeError: boom" otherwise.
  if (raw.source === 'javascript' && level === 'error' && raw.stackTrace !== undefined) {
    return { kind: 'page-error', level, text: text.replace(/^Error: /, '') };
  }
  return { kind: raw.source === 'network' && level === 'error' ? 'request-failed' : 'console', level, text };
}

/**
 * MiniBrowser keeps a favicon database, so WebKit fetches /favicon.ico of every page it shows
 * and reports the 404 (or a CSP refusal) as if the page had failed. Neither Playwright engine
 * does that, and no page asked for it: drop those messages.
 */
function isBrowserFaviconNoise(raw: ConsoleMessage): boolean {
  if (raw.source !== 'network' && raw.source !== 'security') return false;
  const favicon = /\/favicon\.ico(?:[?#\s]|$)/;
  return favicon.test(raw.url ?? '') || favicon.test(raw.text ?? '');
}
