/**
 * Script evaluation and navigation on top of the inspector session, shared by the page
 * object and the between-pages reset.
 */
import type { InspectorSession, JsonObject, TargetEvent } from './inspector.js';
import { withTimeout } from './util.js';

interface RemoteObject {
  type: string;
  subtype?: string;
  className?: string;
  value?: unknown;
  description?: string;
  objectId?: string;
}

interface EvaluationResult {
  result: RemoteObject;
  wasThrown?: boolean;
}

const OBJECT_GROUP = 'cors-engine';

/**
 * Second step for object results, run on the object itself. Mirrors Playwright's
 * page.evaluate(string): a thenable is awaited (callFunctionOn's awaitPromise), and the outcome
 * returned by value (a function is not called: it comes back undefined).
 */
const SETTLE_VALUE = `function () {
  if (typeof this === 'function') return undefined;
  return typeof this.then === 'function' ? Promise.resolve(this) : this;
}`;

/** Evaluates `expression` in the current document; resolves with its JSON value (promises awaited). */
export async function evaluateValue<T>(session: InspectorSession, expression: string): Promise<T> {
  const targetId = session.currentTargetId;
  // A promise of a document that navigates away never settles; WebKit does not reject it for us.
  const guard = new DocumentGuard(session, targetId);
  let holdsObjects = false;
  try {
    const first = await guard.race(
      session.send<EvaluationResult>('Runtime.evaluate', { expression, objectGroup: OBJECT_GROUP, returnByValue: false }, targetId),
    );
    throwIfThrown(first);
    const { objectId } = first.result;
    if (objectId === undefined || first.result.subtype === 'null') {
      return primitiveValue(first.result) as T;
    }
    holdsObjects = true;
    const settled = await guard.race(
      session.send<EvaluationResult>(
        'Runtime.callFunctionOn',
        { objectId, functionDeclaration: SETTLE_VALUE, returnByValue: true, awaitPromise: true },
        targetId,
      ),
    );
    throwIfThrown(settled);
    return settled.result.value as T;
  } finally {
    guard.dispose();
    if (holdsObjects) void session.send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }, targetId).catch(() => undefined);
  }
}

function throwIfThrown(evaluation: EvaluationResult): void {
  if (!evaluation.wasThrown) return;
  const thrown = evaluation.result;
  // e.g. "TypeError: x is undefined"; a rejection with a non-Error value has no description.
  throw new Error(thrown.description ?? JSON.stringify(thrown.value) ?? 'undefined');
}

function primitiveValue(object: RemoteObject): unknown {
  if (object.subtype === 'null') return null;
  if ('value' in object) return object.value;
  // NaN/Infinity, bigint and symbols only come with a description; none is JSON anyway.
  if (object.type === 'number') return Number(object.description);
  return undefined;
}

/** Rejects pending work once the main frame of `targetId` commits a new document. */
class DocumentGuard {
  private readonly unsubscribe: () => void;
  private readonly navigated: Promise<never>;

  constructor(session: InspectorSession, targetId: string) {
    let reject!: (error: Error) => void;
    this.navigated = new Promise<never>((_, rej) => (reject = rej));
    this.navigated.catch(() => undefined);
    this.unsubscribe = session.subscribe((event) => {
      if (event.targetId === targetId && isMainFrameNavigation(event)) {
        reject(new Error('webkit: evaluation aborted: the page navigated to a new document'));
      }
    });
  }

  race<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.navigated]);
  }

  dispose(): void {
    this.unsubscribe();
  }
}

function isMainFrameNavigation(event: TargetEvent): boolean {
  if (event.method !== 'Page.frameNavigated') return false;
  const frame = event.params.frame as JsonObject | undefined;
  return frame !== undefined && frame.parentId === undefined;
}

export interface NavigationWatcher {
  /** Resolves on the load event of the awaited document; rejects if its request failed. */
  readonly loaded: Promise<void>;
  /** For a timeout message: which other main-frame document committed meanwhile, if any. */
  otherCommit(): string | undefined;
  dispose(): void;
}

/** URLs compare without their fragment (`new URL` also normalises e.g. a missing trailing slash). */
function normaliseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href;
  } catch {
    return url;
  }
}

/**
 * Watches for the main-frame document at `url` (or where its redirects lead) to commit and fire
 * its load event. Events of all page targets count, because a cross-site navigation commits in a
 * new (provisional) target. Matching on the URL matters: a navigation started just before (e.g.
 * to about:blank) may still commit after Page.navigate has been answered, and must not count.
 *
 * A failed main document shows WebKitGTK's error page, an about:blank document whose text is the
 * error. Within one process Network.loadingFailed says so first; when the load was made by a
 * provisional target, that target just disappears and only the error page tells.
 */
/**
 * WebKit refuses a restricted port (1, 6000, ...) before any request: no network event, only
 * this console error ("Not allowed to use restricted network port 6000: http://host:6000/").
 */
function rejectOnRestrictedPort(params: JsonObject, expected: Set<string>, url: string, reject: (error: Error) => void): void {
  const text = String((params.message as JsonObject | undefined)?.text ?? '');
  const match = /^(Not allowed to use restricted network port \d+): (\S+)$/.exec(text);
  if (match?.[1] !== undefined && expected.has(normaliseUrl(match[2] ?? ''))) reject(new Error(`webkit: goto ${url} failed: ${match[1]}`));
}

export function watchNavigation(session: InspectorSession, url: string): NavigationWatcher {
  const expected = new Set([normaliseUrl(url)]);
  const documentRequests = new Map<string, string>();
  let requested = false;
  let committedIn: string | undefined;
  let errorPageIn: string | undefined;
  let otherCommit: string | undefined;
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const loaded = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  loaded.catch(() => undefined);
  const unsubscribe = session.subscribe((event) => {
    const { params } = event;
    switch (event.method) {
      case 'Network.requestWillBeSent': {
        if (params.type !== 'Document') break;
        const requestUrl = normaliseUrl(String((params.request as JsonObject).url));
        const redirectedFrom = params.redirectResponse as JsonObject | undefined;
        if (redirectedFrom && expected.has(normaliseUrl(String(redirectedFrom.url)))) expected.add(requestUrl);
        documentRequests.set(`${event.targetId}/${String(params.requestId)}`, requestUrl);
        if (expected.has(requestUrl)) requested = true;
        break;
      }
      case 'Network.loadingFailed': {
        const requestUrl = documentRequests.get(`${event.targetId}/${String(params.requestId)}`);
        // Cancelled loads are superseded ones (e.g. a process swap), not failures.
        if (requestUrl !== undefined && expected.has(requestUrl) && params.canceled !== true) {
          reject(new Error(`webkit: goto ${url} failed: ${String(params.errorText)}`));
        }
        break;
      }
      case 'Page.frameNavigated': {
        if (!isMainFrameNavigation(event)) break;
        const committedUrl = normaliseUrl(String((params.frame as JsonObject).url));
        if (expected.has(committedUrl)) committedIn = event.targetId;
        else if (requested && committedUrl === 'about:blank') errorPageIn = event.targetId;
        else otherCommit = committedUrl;
        break;
      }
      case 'Console.messageAdded':
        rejectOnRestrictedPort(params, expected, url, reject);
        break;
      case 'Page.loadEventFired':
        // Main-frame only; it counts once our document (or the error page) committed in that same target.
        if (committedIn === event.targetId) resolve();
        else if (errorPageIn === event.targetId) {
          void session
            .send<EvaluationResult>('Runtime.evaluate', { expression: 'document.body ? document.body.innerText : ""', returnByValue: true }, event.targetId)
            .then((error) => String(error.result.value ?? '').trim(), () => '')
            .then((text) => reject(new Error(`webkit: goto ${url} failed: ${text || 'WebKit showed its error page'}`)));
        }
        break;
    }
  });
  return { loaded, otherCommit: () => otherCommit, dispose: unsubscribe };
}

/** Navigates the page and resolves on the load event of the new document (after a target swap too). */
export async function navigate(session: InspectorSession, url: string, timeoutMs: number): Promise<void> {
  const watcher = watchNavigation(session, url);
  try {
    await session.send('Page.navigate', { url });
    await withTimeout(watcher.loaded, timeoutMs, () => {
      const other = watcher.otherCommit();
      return (
        `webkit: goto ${url} timed out after ${timeoutMs} ms waiting for the load event` +
        (other === undefined ? '' : ` (the page committed ${other} instead)`)
      );
    });
  } finally {
    watcher.dispose();
  }
}
