/**
 * EnginePage.waitForFunction, shared by both drivers: one evaluate per document whose promise
 * settles once the expression is truthy, again in the next document when a navigation ends this
 * one. Polling from Node instead costs a round trip per try and up to an interval of lag after
 * the condition is met. A driver whose promises cost two round trips (WebKitGTK) first asks once
 * for a plain yes or no (`metNow`): most waits in the matrix are already met when they start.
 */
export interface PollOutcome {
  met: boolean;
  /** What the expression last threw, if it did. */
  error?: string;
}

export const IN_PAGE_POLL_MS = 10;

/** A page-side loop that settles once `expression` is truthy, or with its last error after `timeoutMs`. */
export function inPagePoll(expression: string, timeoutMs: number): string {
  return `new Promise((resolve) => {
    const until = Date.now() + ${timeoutMs};
    let error;
    const check = async () => {
      try {
        if (await (${expression})) return resolve({ met: true });
        error = undefined;
      } catch (thrown) {
        error = String(thrown);
      }
      if (Date.now() >= until) return resolve({ met: false, error });
      setTimeout(check, ${IN_PAGE_POLL_MS});
    };
    check();
  })`;
}

/**
 * True when `expression` is truthy now, false otherwise (falsy, thrown, or a promise: those are
 * for the poll). A primitive, so a driver returns it in one round trip.
 */
export function metNow(expression: string): string {
  return `(() => {
    try {
      const value = (${expression});
      return typeof value?.then !== 'function' && !!value;
    } catch {
      return false;
    }
  })()`;
}

/** What a driver lends waitInPage. */
export interface PollingPage {
  /** "chromium", "webkit"…: every error starts with it. */
  engineName: string;
  /** Evaluates `source` in the current document; rejects when the document goes away. */
  evaluatePoll(source: string): Promise<PollOutcome>;
  /**
   * Where a promise's result costs the driver more round trips than a primitive's (WebKitGTK: two
   * against one), evaluates `source` to a primitive: a wait already met is then answered by one.
   */
  evaluatePrimitive?(source: string): Promise<unknown>;
  /** The error that ends the wait at once (the page closed or crashed), or undefined to poll again. */
  fatal(error: unknown): Error | undefined;
  /** An error as one line, for the timeout's "last error". */
  describe(error: unknown): string;
}

/** Resolves once `expression` is truthy in the page's current document; one line after `timeoutMs`. */
export async function waitInPage(page: PollingPage, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // A page too busy to run the poll's own timer (or whose promise never settles) must not hold the wait past its timeout.
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  let lastError: unknown;
  try {
    if (page.evaluatePrimitive !== undefined) {
      // Anything but a plain yes (a navigation under it included) leaves the answer to the poll.
      const now = await Promise.race([page.evaluatePrimitive(metNow(expression)).catch(() => false), outOfTime]);
      if (now === true) return;
    }
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const cause = lastError === undefined ? '' : ` (last error: ${page.describe(lastError)})`;
        throw new Error(`${page.engineName}: waitForFunction timed out after ${timeoutMs} ms: ${expression}${cause}`);
      }
      try {
        const outcome = await Promise.race([page.evaluatePoll(inPagePoll(expression, left)), outOfTime]);
        if (outcome?.met) return;
        // A string only: WebKit's by-value result turns the poll's undefined error into null.
        if (typeof outcome?.error === 'string') lastError = new Error(outcome.error);
      } catch (error) {
        // The document went away under the poll (a navigation): poll again in the next one.
        const fatal = page.fatal(error);
        if (fatal !== undefined) throw fatal;
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(IN_PAGE_POLL_MS, Math.max(deadline - Date.now(), 0))));
      }
    }
  } finally {
    clearTimeout(timer);
  }
}
