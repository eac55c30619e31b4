/**
 * The reason catalog against what the engines really printed here: the captured messages in
 * captured-messages/<engine>.json (see scripts/capture-messages.ts for how they are made), checked
 * against the matrix table's expectations for that engine. A sentence the catalog does not
 * know, or maps to another reason, fails here with the sentence shown.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import type { EngineName } from '../framework/engines/engine.js';
import type { CapturedEngine } from '../../scripts/capture-messages.js';
import { expectationFor, MATRIX_CASES } from '../scenarios/matrix-cases.js';
import { classify, corsBlocks, corsWarnings, DIALECTS, isCorsMessage, REASON_CODES, type KnownReason } from '../framework/cors/reason-catalog.js';

const ENGINES: EngineName[] = ['chromium', 'firefox', 'webkit'];
const dir = fileURLToPath(new URL('../framework/cors/captured-messages', import.meta.url));
const captured = (engine: EngineName): CapturedEngine =>
  JSON.parse(readFileSync(path.join(dir, `${engine}.json`), 'utf8')) as CapturedEngine;

/** Texts not captured here (unreachable errors, Playwright's own builds): see the file's note. */
interface PublicSourceMessage { engine: EngineName; build: string; source: string; text: string; reason: KnownReason }
const publicSources = (JSON.parse(readFileSync(path.join(dir, 'public-sources.json'), 'utf8')) as { messages: PublicSourceMessage[] }).messages;

test.describe('texts from public sources (not captured here)', () => {
  for (const message of publicSources) {
    test(`${message.engine}, ${message.build}: ${message.reason}`, () => {
      expect(classify(message.engine, message.text), message.source).toMatchObject({ reason: message.reason, raw: message.text });
    });
  }
});

for (const engine of ENGINES) {
  test.describe(`${engine}: captured messages`, () => {
    const fixture = captured(engine);

    test('cover every case of the matrix (re-capture after adding one)', () => {
      expect(fixture.engine).toBe(engine);
      expect(fixture.cases.map((c) => c.case).sort()).toEqual(MATRIX_CASES.map((c) => c.name).sort());
    });

    for (const capturedCase of fixture.cases) {
      test(`${capturedCase.case}`, () => {
        const matrixCase = MATRIX_CASES.find((c) => c.name === capturedCase.case);
        expect(matrixCase, `case '${capturedCase.case}' is no longer in matrix-cases.ts: re-capture`).toBeDefined();
        if (matrixCase === undefined) return;
        for (const [index, step] of capturedCase.steps.entries()) {
          const expected = expectationFor(matrixCase, index, engine);
          const blocks = corsBlocks(engine, step.messages);
          const where = `step ${index} (${step.method}), messages: ${JSON.stringify(step.messages.map((m) => m.text))}`;
          expect(blocks.filter((b) => b.reason === 'unrecognized').map((b) => b.raw), `${where}: unknown to the catalog`).toEqual([]);
          expect(step.observedOutcome, `${where}: the capture run saw another outcome than the table expects`).toBe(expected.outcome);
          // Any hop's URL belongs to the step: they share the lab's behaviour segment.
          const marker = step.url.replace(/[^/]*$/, '');
          const forUrl = blocks.filter((b) => b.url?.includes(marker.slice(marker.indexOf('/cors-lab/'))) === true);
          if (expected.outcome === 'readable') {
            expect(forUrl, where).toEqual([]);
          } else if (expected.outcome === 'opaque' || expected.reason === 'no-message') {
            expect(forUrl, where).toEqual([]);
          } else {
            expect(forUrl[0]?.reason, `${where}: first reason`).toBe(expected.reason);
            expect(forUrl[0]?.raw, 'the raw text is kept').toEqual(expect.any(String));
          }
        }
      });
    }

    test('every rule of the catalog matches some captured or public-source message', () => {
      const details = fixture.cases
        .flatMap((c) => c.steps.flatMap((s) => s.messages))
        .concat(publicSources.filter((m) => m.engine === engine).map((m) => ({ kind: 'console' as const, level: 'error', text: m.text })))
        .filter((m) => isCorsMessage(engine, m.text))
        .map((m) => DIALECTS[engine].parse(m.text).detail);
      const unused = DIALECTS[engine].rules.filter((rule) => !details.some((d) => rule.pattern.test(d)));
      expect(unused.map((r) => `${r.reason}: ${r.pattern}`), 'rules never seen in a real message (guesses)').toEqual([]);
    });
  });
}

test.describe('texts the catalog must not pass silently', () => {
  // Made up: wordings no engine uses (yet), each mentioning CORS or access control somehow.
  const unknown: Record<EngineName, string[]> = {
    chromium: [
      "Access to fetch at 'http://127.0.0.1:1/x' from origin 'http://127.0.0.1:2' has been blocked by CORS policy: Some reason no rule knows.",
      "Access to fetch at 'http://127.0.0.1:1/x' from origin 'http://127.0.0.1:2' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: a new preflight reason.",
      'A cross-origin request to http://127.0.0.1:1/x was refused by a new access control rule.',
    ],
    firefox: [
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:1/x. (Reason: something new).',
      'Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at http://127.0.0.1:1/x soon. (Reason: a new warning).',
      'CORS: a brand-new Firefox message about http://127.0.0.1:1/x',
    ],
    webkit: [
      'Preflight response carries something new.',
      'Cross-origin redirection to http://127.0.0.1:1/y denied by Cross-Origin Resource Sharing policy: a reason no rule knows',
      'Cross-origin redirection to http://127.0.0.1:1/y denied by Cross-Origin Resource Sharing policy: the redirection URL is said to carry credentials in new words',
      'Cross origin requests are only supported for HTTPS.',
      'Access-Control-Allow-Origin had a value WebKit words in a new way.',
    ],
  };
  for (const engine of ENGINES) {
    test(`${engine}: unknown CORS sentences are 'unrecognized', raw text kept`, () => {
      for (const text of unknown[engine]) expect(classify(engine, text), text).toMatchObject({ reason: 'unrecognized', raw: text });
      expect(corsBlocks(engine, unknown[engine].map((text) => ({ kind: 'console' as const, level: 'error', text }))).map((b) => b.reason))
        .toEqual(unknown[engine].map(() => 'unrecognized'));
    });
  }

  test('a base64 segment of a URL spelling CORS words does not make a message a CORS one', () => {
    expect(classify('chromium', 'GET http://127.0.0.1:1/cors-lab/Q09SUyBwcmVmbGlnaHQ/CORS-preflight failed: net::ERR_FAILED')).toBeUndefined();
  });

  test('warnings are not blocks', () => {
    const warning = publicSources.find((m) => m.reason === 'authorization-not-covered-by-wildcard');
    const messages = [{ kind: 'console' as const, level: 'warning', text: warning?.text ?? '' }];
    expect(corsBlocks('firefox', messages)).toEqual([]);
    expect(corsWarnings('firefox', messages).map((b) => b.reason)).toEqual(['authorization-not-covered-by-wildcard']);
  });

  test('messages that are not CORS blocks are not classified', () => {
    expect(classify('chromium', 'Refused to get unsafe header "X-Okta-Request-Id"')).toBeUndefined();
    expect(classify('chromium', 'Failed to load resource: net::ERR_FAILED')).toBeUndefined();
    expect(classify('webkit', 'Failed to load resource: Origin http://a is not allowed by Access-Control-Allow-Origin. Status code: 200')).toBeUndefined();
    expect(classify('webkit', 'Fetch API cannot load http://127.0.0.1:1/x due to access control checks.')).toBeUndefined();
  });

  test('every reason code is produced by some engine', () => {
    const produced = new Set(ENGINES.flatMap((engine) => DIALECTS[engine].rules.map((r) => r.reason)));
    expect(REASON_CODES.filter((code) => code !== 'unrecognized' && !produced.has(code))).toEqual([]);
  });
});
