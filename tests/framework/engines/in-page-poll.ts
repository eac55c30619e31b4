/**
 * EnginePage.waitForFunction's poller, shared by both drivers: one evaluate per document whose
 * promise settles once the expression is truthy. Polling from Node instead costs a round trip per
 * try and up to an interval of lag after the condition is met.
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
