/**
 * Dedicated workers of a page. WebKit reaches them through the page target's Worker domain
 * (enabled with the page's other domains): each new worker waits until we have turned its
 * console on and said `Worker.initialized`, so no message of its first lines is lost.
 */
import type { InspectorSession, JsonObject, TargetEvent } from './inspector.js';

let nextWorkerMessageId = 1;

/** Turns on the console of every worker the page starts; returns the unsubscribe function. */
export function followWorkers(session: InspectorSession): () => void {
  return session.subscribe((event) => {
    if (event.method !== 'Worker.workerCreated') return;
    const workerId = String(event.params.workerId);
    const message = JSON.stringify({ id: nextWorkerMessageId++, method: 'Console.enable', params: {} });
    void session
      .send('Worker.sendMessageToWorker', { workerId, message }, event.targetId)
      .catch(() => undefined)
      .then(() => session.send('Worker.initialized', { workerId }, event.targetId))
      .catch(() => undefined);
  });
}

/** The event a worker sent, as if from a target of its own ("<page target>/worker/<id>"); undefined for replies. */
export function unwrapWorkerEvent(event: TargetEvent): TargetEvent | undefined {
  if (event.method !== 'Worker.dispatchMessageFromWorker') return undefined;
  try {
    const inner = JSON.parse(String(event.params.message)) as { method?: string; params?: JsonObject };
    if (!inner.method) return undefined;
    return { targetId: `${event.targetId}/worker/${String(event.params.workerId)}`, method: inner.method, params: inner.params ?? {} };
  } catch {
    return undefined;
  }
}
