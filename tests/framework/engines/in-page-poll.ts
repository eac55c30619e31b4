/**
 * EnginePage.waitForFunction, shared by both drivers: one evaluate per document whose promise
 * settles once the expression is truthy, again in the next document when a navigation ends this
 * one. Polling from Node instead costs a round trip per try and up to an interval of lag after
 * the condition is met. A wait already met is answered with a plain `true` (most of the
 * matrix's waits are met when they start).
 */
export interface PollOutcome {
  met: boolean;
  /** What the expression last threw, if it did. */
  error?: string;
}

/** `true` when the wait was met at the first look, else how the loop ended. */
export type PollAnswer = true | PollOutcome;

export const IN_PAGE_POLL_MS = 10;

/**
 * What the page answers: a plain `true` when `expression` is truthy at the first look (a primitive,
 * which every driver returns in one round trip; a promise's value costs WebKitGTK's inspector two),
 * otherwise a loop's promise that settles once it is, or with its last error after `timeoutMs`.
 */
export function inPagePoll(expression: string, timeoutMs: number): string {
  return `(() => {
    const until = Date.now() + ${timeoutMs};
    const look = () => (${expression});
    let error;
    let first;
    try {
      first = look();
      if (typeof first?.then !== 'function' && first) return true;
    } catch (thrown) {
      error = String(thrown);
    }
    return new Promise((resolve) => {
      const check = async (value) => {
        try {
          if (await value()) return resolve({ met: true });
          error = undefined;
        } catch (thrown) {
          error = String(thrown);
        }
        next();
      };
      const next = () => (Date.now() >= until ? resolve({ met: false, error }) : setTimeout(() => check(look), ${IN_PAGE_POLL_MS}));
      // A promise from the first look is awaited, not asked for again.
      if (typeof first?.then === 'function') check(() => first);
      else next();
    });
  })()`;
}

/** What a driver lends waitInPage. */
export interface PollingPage {
  /** "chromium", "webkit"…: every error starts with it. */
  engineName: string;
  /** Evaluates `source` in the current document; rejects when the document goes away. */
  evaluatePoll(source: string): Promise<PollAnswer>;
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
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const cause = lastError === undefined ? '' : ` (last error: ${page.describe(lastError)})`;
        throw new Error(`${page.engineName}: waitForFunction timed out after ${timeoutMs} ms: ${expression}${cause}`);
      }
      try {
        const outcome = await Promise.race([page.evaluatePoll(inPagePoll(expression, left)), outOfTime]);
        if (outcome === true || outcome?.met) return;
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
