/**
 * The GitHub Actions workflows are valid (action-validator's schema check) and do what the
 * README says: CI runs the suite on pushes and pull requests; the nightly runs every engine in
 * shards with Playwright's browsers, keeps blob reports and merges them into the reports.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateWorkflow } from '@action-validator/core';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { ENGINE_PROJECTS } from '../framework/reporting/cors-matrix.js';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const read = (path: string) => readFileSync(root(path), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const WORKFLOWS = ['.github/workflows/ci.yml', '.github/workflows/nightly.yml'];
const workflow = (path: string) => parse(read(path)) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');
const uses = (job: Job, action: string) => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));

for (const path of WORKFLOWS) {
  test(`${path} passes action-validator`, () => {
    const { errors } = validateWorkflow(read(path));
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  });
}

test('every `npm run` in the workflows is a script of package.json', () => {
  const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
  const used = WORKFLOWS.flatMap((p) => [...read(p).matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]));
  expect(used.length).toBeGreaterThan(0);
  for (const script of used) expect(scripts, `npm run ${script}`).toContain(script);
});

test('CI runs the whole suite on pushes and pull requests, with Playwright browsers and their dependencies', () => {
  const ci = workflow('.github/workflows/ci.yml');
  expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
  const all = Object.values(ci.jobs).map(runs).join('\n');
  expect(all).toMatch(/npx playwright install --with-deps chromium firefox webkit/);
  expect(all).toMatch(/^npx playwright test$/m);
});

test('the nightly runs on a schedule and on demand, every engine in shards, and merges the blobs', () => {
  const nightly = workflow('.github/workflows/nightly.yml');
  expect(nightly.on).toHaveProperty('schedule');
  expect(nightly.on).toHaveProperty('workflow_dispatch');

  const sharded = Object.values(nightly.jobs).find((j) => j.strategy?.matrix?.['shard'] !== undefined);
  expect(sharded, 'a job with a shard matrix').toBeDefined();
  if (!sharded) return;
  const matrix = sharded.strategy?.matrix ?? {};
  expect(matrix['engine']).toEqual([...ENGINE_PROJECTS]);
  const shards = matrix['shard'] as number[];
  expect(shards).toEqual(shards.map((_, i) => i + 1));
  const commands = runs(sharded);
  expect(commands).toContain('npx playwright install --with-deps ${{ matrix.engine }}');
  // The shard count in the command must match the matrix, or tests would be skipped or run twice.
  expect(commands).toContain(`--project=\${{ matrix.engine }} --shard=\${{ matrix.shard }}/${shards.length}`);
  expect(uses(sharded, 'actions/upload-artifact')[0]?.with?.['path']).toBe('reports/blob-report');

  const merge = Object.values(nightly.jobs).find((j) => runs(j).includes('npm run report:merge'));
  expect(merge, 'a job that merges the blobs').toBeDefined();
  if (!merge) return;
  const needs = [merge.needs ?? []].flat();
  for (const [name, job] of Object.entries(nightly.jobs)) if (job !== merge) expect(needs).toContain(name);
  expect(uses(merge, 'actions/download-artifact')[0]?.with).toMatchObject({ path: 'reports/blob-report', 'merge-multiple': true });
  expect(runs(merge)).toContain('npm run report:allure');
  expect(String(uses(merge, 'actions/upload-artifact')[0]?.with?.['path'])).toMatch(/reports\/playwright-html[\s\S]*reports\/allure-report[\s\S]*reports\/cors-matrix\.html/);

  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  expect(scripts['report:merge']).toMatch(/^playwright merge-reports .*reports\/blob-report$/);
});
