/**
 * A client for WebKit's remote inspector as WebKitGTK serves it with WEBKIT_INSPECTOR_HTTP_SERVER.
 *
 * The WebSocket speaks to the "web-page" target, which only knows the `Target` domain; the
 * actual page is a sub-target reached with `Target.sendMessageToTarget` and answering through
 * `Target.dispatchMessageFromTarget`. A cross-site navigation runs in a new WebContent process,
 * i.e. a new (provisional) page target that replaces the old one on
 * `Target.didCommitProvisionalTarget`. With `Target.setPauseOnStart` every new target waits for
 * us, so its Console/Page/Network agents are on before its first script runs.
 */
import WebSocket from 'ws';
import { sendInFrames } from './frames.js';
import { deferred, withTimeout, type Deferred } from './util.js';

export type JsonObject = Record<string, unknown>;

/** An event from a page target (the current one or a provisional one). */
export interface TargetEvent {
  targetId: string;
  method: string;
  params: JsonObject;
}

export type TargetEventListener = (event: TargetEvent) => void;

/** A command failed because its target went away (navigation to another process, or the browser died). */
class TargetGoneError extends Error {
  override name = 'TargetGoneError';
}

interface Pending {
  method: string;
  resolve(result: JsonObject): void;
  reject(error: Error): void;
}

interface PageTarget {
  id: string;
  pending: Map<number, Pending>;
}

interface ProtocolMessage {
  id?: number;
  method?: string;
  params?: JsonObject;
  result?: JsonObject;
  error?: { message?: string; code?: number };
}

interface TargetInfo {
  targetId: string;
  type: string;
  isProvisional?: boolean;
  isPaused?: boolean;
}

/** Domains every page target needs before it runs anything. */
const PAGE_DOMAINS = ['Console.enable', 'Page.enable', 'Network.enable', 'Worker.enable'] as const;

/**
 * WebKitGTK relays inspector traffic over an internal loopback TCP connection inside the UI
 * process, without TCP_NODELAY. Each page command produces two writes ~1 ms apart (the empty
 * reply to Target.sendMessageToTarget, then the page's answer), so Nagle holds the second one
 * until the peer's delayed ACK: every page command took ~44 ms. Any message we send makes the
 * relay write towards the page side and so carries the missing ACK; an idempotent
 * `Target.setPauseOnStart` sent every few ms while traffic is expected brings a round trip down
 * to ~5 ms. The nudging stops NUDGE_WINDOW_MS after the last page message.
 */
const NUDGE_INTERVAL_MS = 2;
const NUDGE_WINDOW_MS = 50;

export class InspectorSession {
  private nextId = 1;
  private readonly outerPending = new Map<number, Pending>();
  private readonly targets = new Map<string, PageTarget>();
  private readonly listeners = new Set<TargetEventListener>();
  private current: string | undefined;
  private readonly firstPage: Deferred<void> = deferred();
  private closedWith: Error | undefined;
  private nudgeTimer: NodeJS.Timeout | undefined;
  private nudgeUntil = 0;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('close', (code, reason) =>
      this.onDisconnect(
        new TargetGoneError(`webkit: inspector connection closed (${code}${reason.length ? ` ${String(reason)}` : ''}); did MiniBrowser exit?`),
      ),
    );
    ws.on('error', (error) => this.onDisconnect(new TargetGoneError(`webkit: inspector connection failed: ${error.message}`)));
  }

  /** Connects and resolves once the page target is attached with its domains enabled. */
  static async connect(url: string, timeoutMs: number): Promise<InspectorSession> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const session = new InspectorSession(ws);
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        }),
        timeoutMs,
        `webkit: could not open the inspector WebSocket ${url} within ${timeoutMs} ms`,
      );
      // Before anything navigates: hold every new target until its agents are on (see targetCreated).
      await session.sendToBrowser('Target.setPauseOnStart', { pauseOnStart: true });
      await withTimeout(session.firstPage.promise, timeoutMs, `webkit: no page target appeared within ${timeoutMs} ms`);
      return session;
    } catch (error) {
      ws.terminate();
      throw error;
    }
  }

  /** The committed page target that commands go to. */
  get currentTargetId(): string {
    if (this.closedWith) throw this.closedWith;
    if (!this.current) throw new TargetGoneError('webkit: no page target');
    return this.current;
  }

  get isConnected(): boolean {
    return !this.closedWith;
  }

  /** Sends a command to a page target (default: the current one) and resolves with its result. */
  send<T = JsonObject>(method: string, params: JsonObject = {}, targetId?: string): Promise<T> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = targetId ?? this.current;
    const target = id === undefined ? undefined : this.targets.get(id);
    if (!target) return Promise.reject(new TargetGoneError(`webkit: ${method}: page target ${id ?? '(none)'} is gone`));
    const messageId = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      target.pending.set(messageId, { method, resolve: (result) => resolve(result as T), reject });
      this.sendToBrowser('Target.sendMessageToTarget', {
        targetId: target.id,
        message: JSON.stringify({ id: messageId, method, params }),
      }).catch((error: unknown) => {
        target.pending.delete(messageId);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
      this.keepTrafficFlowing();
    });
  }

  /** Listens to events of all page targets; returns the unsubscribe function. */
  subscribe(listener: TargetEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.ws.close();
    await withTimeout(closed, 2_000, 'close').catch(() => this.ws.terminate());
  }

  // ---- wire level ----

  private sendToBrowser(method: string, params: JsonObject): Promise<JsonObject> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.outerPending.set(id, { method, resolve, reject });
      sendInFrames(this.ws, JSON.stringify({ id, method, params }), (error) => {
        if (!error) return;
        this.outerPending.delete(id);
        reject(new TargetGoneError(`webkit: ${method}: ${error.message}`));
      });
    });
  }

  private keepTrafficFlowing(): void {
    this.nudgeUntil = Date.now() + NUDGE_WINDOW_MS;
    if (this.nudgeTimer || this.closedWith) return;
    this.nudgeTimer = setInterval(() => {
      if (Date.now() > this.nudgeUntil || this.closedWith || this.ws.readyState !== WebSocket.OPEN) {
        clearInterval(this.nudgeTimer);
        this.nudgeTimer = undefined;
        return;
      }
      // Fire and forget: its reply has an id nobody waits for and is dropped by settle().
      this.ws.send(JSON.stringify({ id: this.nextId++, method: 'Target.setPauseOnStart', params: { pauseOnStart: true } }));
    }, NUDGE_INTERVAL_MS);
    this.nudgeTimer.unref();
  }

  private onMessage(text: string): void {
    let message: ProtocolMessage;
    try {
      message = JSON.parse(text) as ProtocolMessage;
    } catch {
      return;
    }
    if (message.id !== undefined) {
      settle(this.outerPending, message);
      return;
    }
    const params = message.params ?? {};
    switch (message.method) {
      case 'Target.targetCreated':
        this.onTargetCreated(params.targetInfo as TargetInfo);
        break;
      case 'Target.didCommitProvisionalTarget':
        this.current = String(params.newTargetId);
        break;
      case 'Target.targetDestroyed':
        this.onTargetDestroyed(String(params.targetId));
        break;
      case 'Target.dispatchMessageFromTarget':
        this.onTargetMessage(String(params.targetId), String(params.message));
        break;
    }
  }

  private onTargetMessage(targetId: string, text: string): void {
    // More may be queued behind this message in WebKit's relay: keep it moving (see NUDGE_*).
    this.keepTrafficFlowing();
    const target = this.targets.get(targetId);
    if (!target) return;
    let inner: ProtocolMessage;
    try {
      inner = JSON.parse(text) as ProtocolMessage;
    } catch {
      return;
    }
    if (inner.id !== undefined) {
      settle(target.pending, inner);
      return;
    }
    if (!inner.method) return;
    const event: TargetEvent = { targetId, method: inner.method, params: inner.params ?? {} };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A faulty listener must not break the protocol pump.
      }
    }
  }

  private onTargetCreated(info: TargetInfo): void {
    if (info.type !== 'page') {
      // Workers etc. are not followed, but with pause-on-start they would hang until resumed.
      if (info.isPaused) void this.sendToBrowser('Target.resume', { targetId: info.targetId }).catch(() => undefined);
      return;
    }
    this.targets.set(info.targetId, { id: info.targetId, pending: new Map() });
    if (!info.isProvisional && this.current === undefined) this.current = info.targetId;
    void this.attach(info);
  }

  private async attach(info: TargetInfo): Promise<void> {
    // Failures are tolerated: a provisional target may be dropped (cancelled navigation) meanwhile.
    await Promise.all(PAGE_DOMAINS.map((method) => this.send(method, {}, info.targetId).catch(() => undefined)));
    if (info.isPaused) await this.sendToBrowser('Target.resume', { targetId: info.targetId }).catch(() => undefined);
    if (this.current === info.targetId) this.firstPage.resolve();
  }

  private onTargetDestroyed(targetId: string): void {
    const target = this.targets.get(targetId);
    if (!target) return;
    this.targets.delete(targetId);
    rejectAll(target.pending, (method) => new TargetGoneError(`webkit: ${method}: the page target went away (navigation to another process?)`));
    if (this.current === targetId) this.current = undefined;
  }

  private onDisconnect(error: Error): void {
    if (this.closedWith) return;
    this.closedWith = error;
    clearInterval(this.nudgeTimer);
    this.nudgeTimer = undefined;
    rejectAll(this.outerPending, () => error);
    for (const target of this.targets.values()) rejectAll(target.pending, () => error);
    this.targets.clear();
    this.firstPage.reject(error);
  }
}

function settle(pending: Map<number, Pending>, message: ProtocolMessage): void {
  const entry = pending.get(message.id ?? -1);
  if (!entry) return;
  pending.delete(message.id ?? -1);
  if (message.error) entry.reject(new Error(`webkit: ${entry.method}: ${message.error.message ?? 'protocol error'}`));
  else entry.resolve(message.result ?? {});
}

function rejectAll(pending: Map<number, Pending>, makeError: (method: string) => Error): void {
  for (const entry of pending.values()) entry.reject(makeError(entry.method));
  pending.clear();
}
