// The walls of the house (DESIGN.md §3, issue 11): checked by `npm run lint:deps`, part of `npm test`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'Domain rules are pure functions: no database, routes, views or realtime.',
      severity: 'error',
      from: { path: '^server/domain/' },
      to: { dependencyTypesNot: ['type-only'], path: '^(db/|views/|server/(routes|realtime|plugins|policy|journal|progress|people|import|auth)/)' },
    },
    {
      name: 'views-import-no-db',
      comment: 'Views render what they are given; they never query.',
      severity: 'error',
      from: { path: '^views/' },
      // Row types are the contract between the store and the views; code is not.
      to: { path: '^db/(client|store|queries|seed)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'db-imports-no-server-or-views',
      comment: 'The store is the bottom layer: it knows SQL and the schema, nothing above it.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(server|views)/', pathNot: '^server/domain/' },
    },
    {
      name: 'routes-import-no-routes',
      comment: 'A route file is a plugin; what two routes share lives in a module both import.',
      severity: 'error',
      from: { path: '^server/routes/' },
      to: { path: '^server/routes/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|tests|bench)/' },
    // Type-only imports vanish at compile time; the walls are about code that runs.
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
