// Allure Report 3 (npm `allure`, no Java): `npm run report:allure` renders
// reports/allure-results (written by allure-playwright during `npx playwright test`) into
// reports/allure-report/index.html, one self-contained file that opens from disk.
import { defineConfig } from 'allure';

export default defineConfig({
  name: 'CORS conformance',
  output: './reports/allure-report',
  // Every render appends this run to the history file, which feeds the trend charts and each
  // test's history. Kept outside allure-results, which each test run empties.
  historyPath: './reports/allure-history.jsonl',
  historyLimit: 50,
  plugins: {
    awesome: {
      options: {
        singleFile: true,
        reportLanguage: 'en',
        // Scenario areas, as the fixtures label them (tests/framework/reporting/allure-labels.ts).
        groupBy: ['epic', 'feature', 'story'],
      },
    },
  },
  // First matching rule wins. Reason codes come from the matrix tests' `cors-case` annotations.
  categories: {
    rules: [
      {
        name: 'Failed CORS cases, by observed reason',
        matchers: { statuses: ['failed', 'broken'], labels: { corsOutcome: /^(readable|blocked)$/ } },
        groupBy: [{ label: 'corsReason' }, { label: 'engine' }],
      },
      { name: 'Product errors', matchers: { statuses: ['failed'] }, groupBy: [{ label: 'engine' }] },
      { name: 'Test errors', matchers: { statuses: ['broken'] }, groupBy: [{ label: 'engine' }] },
      {
        name: 'Blocked by the engine, by reason',
        matchers: { statuses: ['passed'], labels: { corsOutcome: /^blocked$/ } },
        groupBy: [{ label: 'corsReason' }, { label: 'engine' }],
        groupByMessage: false,
      },
      {
        name: 'Readable by the page',
        matchers: { statuses: ['passed'], labels: { corsOutcome: /^readable$/ } },
        groupBy: [{ label: 'engine' }],
        groupByMessage: false,
      },
    ],
  },
});
