/**
 * The size rules of the developers' guide, checked on every run: no source file under
 * servers/, tests/ or scripts/ over 300 lines (specs and data tables aside), no function over
 * 60 lines. Functions are found with the TypeScript compiler's parser, so a long arrow
 * function or method counts as much as a declaration.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIRS = ['servers', 'tests', 'scripts'];
const SOURCE = /\.(ts|js|mjs|cjs)$/;
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;

/** Files whose length is their content: specs (one test per case) and data tables. */
const FILE_EXEMPT = [/\.spec\.ts$/, /^tests\/scenarios\/matrix-cases(?:-wpt)?\.ts$/];

/**
 * Known violations, each waiting for its owner; remove an entry when it is fixed (the last
 * test fails on an entry that no longer violates, so this list only shrinks).
 */
const KNOWN: Record<string, string> = {};

interface Violation {
  where: string;
  lines: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(rel);
    return SOURCE.test(entry.name) ? [rel] : [];
  });
}

const lineCount = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** `test('title', …)`, `test.describe(…)`: the call a callback is the body of, if any. */
function calleeOf(fn: ts.Node): { callee: string; title: string } | undefined {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
  const first = call.arguments[0];
  return { callee: call.expression.getText(), title: first && first !== fn ? first.getText().slice(1, -1) : '' };
}

function functionName(fn: ts.SignatureDeclaration): string {
  if (fn.name) return fn.name.getText();
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText();
  const call = calleeOf(fn);
  if (call) return `${call.callee} \`${call.title}\``;
  return `anonymous function`;
}

/** A describe's callback groups tests; a top-level IIFE is a browser script's module scope. */
function isContainer(fn: ts.Node, file: ts.SourceFile): boolean {
  const call = calleeOf(fn);
  if (call && /^test\.describe(\.(serial|parallel|only|skip|fixme))?$/.test(call.callee)) return true;
  const callee = ts.isParenthesizedExpression(fn.parent) ? fn.parent : fn;
  const iife = callee.parent;
  return ts.isCallExpression(iife) && iife.expression === callee && ts.isExpressionStatement(iife.parent) && iife.parent.parent === file;
}

function longFunctions(rel: string, text: string): Violation[] {
  const file = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true);
  const found: Violation[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body && !isContainer(node, file)) {
      const start = file.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_FUNCTION_LINES) found.push({ where: `${rel} › ${functionName(node)}`, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const files = DIRS.flatMap(sourceFiles).map((rel) => ({ rel, text: readFileSync(path.join(ROOT, rel), 'utf8') }));
const longFiles: Violation[] = files
  .filter(({ rel }) => !FILE_EXEMPT.some((pattern) => pattern.test(rel)))
  .map(({ rel, text }) => ({ where: rel, lines: lineCount(text) }))
  .filter((v) => v.lines > MAX_FILE_LINES);
const longFns: Violation[] = files.flatMap(({ rel, text }) => longFunctions(rel, text));
const describe = (list: Violation[]) => list.map((v) => `${v.where}: ${v.lines} lines`);

test('it reads the tree: servers, tests and scripts, TypeScript and the pages\' JavaScript', () => {
  expect(files.length).toBeGreaterThan(50);
  expect(files.map((f) => f.rel)).toEqual(expect.arrayContaining(['servers/start.ts', 'servers/website/public/cors-probe.js']));
});

test(`no source file over ${MAX_FILE_LINES} lines (specs and data tables aside)`, () => {
  expect(describe(longFiles.filter((v) => !(v.where in KNOWN)))).toEqual([]);
});

test(`no function over ${MAX_FUNCTION_LINES} lines`, () => {
  expect(describe(longFns.filter((v) => !(v.where in KNOWN)))).toEqual([]);
});

test('every known violation is still one (a fixed one leaves the list)', () => {
  const current = new Set([...longFiles, ...longFns].map((v) => v.where));
  expect(Object.keys(KNOWN).filter((where) => !current.has(where))).toEqual([]);
});

test('the guard catches a long function; describes and a browser script\'s module scope aside', () => {
  const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  const v${i} = ${i};`).join('\n');
  expect(longFunctions('x.ts', `export function long(): void {\n${body}\n}\n`)).toEqual([{ where: 'x.ts › long', lines: MAX_FUNCTION_LINES + 2 }]);
  expect(longFunctions('x.ts', `test('t', async () => {\n${body}\n});\n`)).toEqual([{ where: 'x.ts › test `t`', lines: MAX_FUNCTION_LINES + 2 }]);
  expect(longFunctions('x.ts', `test.describe('d', () => {\n${body}\n});\n`)).toEqual([]);
  expect(longFunctions('x.js', `(function () {\n${body}\n})();\n`)).toEqual([]);
});
