// The rooms of the code and what each may import (ARCHITECTURE.md explains them). Checked in `npm run lint`.
//   entry points   src/cli.ts, src/main.ts, src/api, src/dashboard, src/workspace, src/http, src/app, src/worker-runtime, workers
//   services       src/domain, src/reports, src/notify, src/documents, src/engine, src/processes
//   adapters       src/adapters/<system>
//   foundations    src/store, src/calendar, src/config, src/log, src/types
// Arrows point down only; tools/, test/ and bench/ may import anything of src/, src/ nothing of them.
const ENTRY = '^(src/(cli|main)[.]ts|src/(api|dashboard|workspace|http|app|worker-runtime)/|workers/)';
const SERVICES = '^src/(domain|reports|notify|documents|engine|processes)/';
const ADAPTERS = '^src/adapters/';
const FOUNDATIONS = '^src/(store|calendar|config|log|types)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two rooms one.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-is-production',
      severity: 'error',
      comment: 'src/ is what production runs: development tools, tests and benchmarks stay outside it.',
      from: { path: '^(src|workers)/' },
      to: { path: '^(tools|test|bench)/' },
    },
    {
      name: 'services-not-up',
      severity: 'error',
      comment: 'Services and the domain serve the entry points; they never import them.',
      from: { path: SERVICES },
      to: { path: ENTRY },
    },
    {
      name: 'adapters-not-up',
      severity: 'error',
      comment:
        'An adapter speaks to one agency system on top of the foundations; it may render letters (src/documents) and ' +
        'queue notifications (the outbox in src/notify), which import nothing above the foundations themselves.',
      from: { path: ADAPTERS },
      to: { path: `${ENTRY}|${SERVICES}`, pathNot: '^src/(documents/|notify/outbox[.]ts)' },
    },
    {
      name: 'adapters-apart',
      severity: 'error',
      comment: 'One adapter per agency system: replacing one must not break another.',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: ['^src/adapters/$1/', '^src/adapters/[^/]+[.]ts$'] },
    },
    {
      name: 'foundations-at-the-bottom',
      severity: 'error',
      comment:
        'Store, calendar, configuration and logging import no room above them. One exception: loading the ' +
        "configuration checks each jobcenter's adapter names against the registry, so a wrong name stops the start " +
        'naming the file and the field.',
      from: { path: FOUNDATIONS, pathNot: '^src/config/load[.]ts$' },
      to: { path: `${ENTRY}|${SERVICES}|${ADAPTERS}` },
    },
    {
      name: 'workers-through-adapters',
      severity: 'error',
      comment:
        "Workers reach agency systems through src/adapters and our case logic through src/domain, never the store's tables.",
      from: { path: '^workers/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'one-runner',
      severity: 'error',
      comment: 'Only the worker runtime talks to the external-task client.',
      from: { pathNot: '^src/(worker-runtime|types)/' },
      to: { path: 'camunda-external-task-client-js' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|engine|[.]data)/' },
  },
};
