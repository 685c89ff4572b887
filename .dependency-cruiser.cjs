/**
 * Module boundaries (DESIGN.md §2), checked by `npm run lint:deps` in CI. The rules are generic: a new
 * folder under src/modules/ is covered as it is, with no exception to add.
 *
 * Layers: platform → modules (each behind its index.ts) → use-cases → graphql schema assembly → app →
 * entry points. A module is `src/modules/<name>/`; only its `index.ts` is public.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'Modules form a DAG; a cycle (between files or between modules) makes both halves one module. Type-only imports do not count: the GraphQL context names the services type, which every module schema uses.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'module-private-files',
      severity: 'error',
      comment:
        'Outside a module, import only its public surface src/modules/<name>/index.ts, never its private files (repository, commands, tables, domain …).',
      from: { pathNot: ['^src/modules/([^/]+)/', '^test/', '^bench/', '^scripts/', '^schema/'] },
      to: { path: '^src/modules/[^/]+/.+', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'tables-use-domain-types-only',
      severity: 'error',
      comment:
        'Table definitions use platform constants (bounds) and may borrow the type of a JSON column from a module domain; no module code at run time.',
      from: { path: '^schema/' },
      to: { path: '^src/', pathNot: ['^src/platform/', '^src/modules/[^/]+/domain(\\.ts$|/)'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'module-private-files-between-modules',
      severity: 'error',
      comment: 'One module reaches another only through its index.ts (a domain file: see domain-to-other-domain-only).',
      from: { path: '^src/modules/([^/]+)/', pathNot: '^src/modules/[^/]+/domain(\\.ts$|/)' },
      to: { path: '^src/modules/[^/]+/.+', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'domain-to-other-domain-only',
      severity: 'error',
      comment:
        "A domain file may use another module's pure rules (its domain files) directly, so rules stay loadable without any I/O; anything else of that module goes through its index.ts.",
      from: { path: '^src/modules/([^/]+)/domain(\\.ts$|/)' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/domain(\\.ts$|/)'] },
    },
    {
      name: 'platform-imports-no-module',
      severity: 'error',
      comment: 'platform/ is below every module: it knows none of them (the entry points wire them in).',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules|use-cases|graphql|jobs)/|^src/(app|commands|services|worker|node)\\.ts$' },
    },
    {
      name: 'graphql-imports-no-module',
      severity: 'error',
      comment: 'src/graphql/ holds the builder and shared GraphQL helpers that modules build on; it imports no module.',
      from: { path: '^src/graphql/' },
      to: { path: '^src/(modules|use-cases|jobs)/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'Domain files are pure rules: no database, no repository, no service, no clock or network I/O.',
      from: { path: '^src/modules/[^/]+/domain(\\.ts$|/)' },
      to: {
        path: [
          '^node_modules/(drizzle-orm|@libsql|drizzle-kit|hono|graphql|graphql-yoga|@pothos)/',
          '^src/platform/(db|node|workers|serializer)/',
          '^src/.*/(repository|service|commands|queries|writer|schema|context)(\\.ts$|/)',
        ],
      },
    },
    {
      name: 'domain-uses-table-types-only',
      severity: 'error',
      comment: 'A domain file may name a row type from schema/ and use its value lists (schema/values.ts), but not load tables.',
      from: { path: '^src/modules/[^/]+/domain(\\.ts$|/)' },
      to: { path: '^schema/', pathNot: '^schema/values\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^cloudflare:' },
    },
    {
      name: 'no-orphans',
      severity: 'warn',
      from: { orphan: true, pathNot: ['\\.d\\.ts$', '(^|/)tsconfig\\.json$', '\\.config\\.(c|m)?[jt]s$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.wrangler)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
