// The architecture rules `npm test` enforces (npm run lint:deps): which folder may import
// which, so the folders keep matching the data flow the README draws. Type-only imports
// count too: a type import is still a dependency of the code that reads it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two modules cannot be understood (or moved) apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'Every import must resolve to a file or an installed package (the launcher\'s import of the build output excepted: a fresh clone has no dist/ until the build).',
      from: {},
      to: { couldNotResolve: true, pathNot: '^(\\.\\./)*dist/' },
    },
    {
      name: 'store-stays-below',
      severity: 'error',
      comment: 'store/ is better-sqlite3 and row shapes: it never knows who calls it, listens or streams.',
      from: { path: '^server/store/' },
      to: {
        path: [
          '^server/(api|stream|receiver|sender|commands|check|sink|siem)/',
          '^server/(inspector|main|config)\\.ts$',
          '^(node:)?(http|https|net)$',
          '(^|/)node_modules/(ws|hono|@hono/[^/]+)/',
        ],
      },
    },
    {
      name: 'soveren-is-pure',
      severity: 'error',
      comment: "soveren/ is Soveren's webhook contract as pure functions: only common/, itself and node:crypto.",
      from: { path: '^server/soveren/' },
      to: { pathNot: ['^server/(soveren|common)/', '^(node:)?crypto$'] },
    },
    {
      name: 'siem-is-pure',
      severity: 'error',
      comment: 'siem/ maps a delivery to OCSF/ECS/CEF/HEC as pure functions: only common/, itself and node:net (isIP).',
      from: { path: '^server/siem/' },
      to: { pathNot: ['^server/(siem|common)/', '^(node:)?net$'] },
    },
    {
      name: 'common-is-pure',
      severity: 'error',
      comment: 'common/ is what the UI may import: protocol types, query parser, catalog, the API contract. Nothing else of ours; of packages only the schema library.',
      from: { path: '^server/common/' },
      to: { pathNot: ['^server/common/', '(^|/)node_modules/(@hono/zod-openapi|zod)/'] },
    },
    {
      name: 'delivery-is-pure',
      severity: 'error',
      comment: 'delivery/ is the hand-over between receiver and store: it depends on neither.',
      from: { path: '^server/delivery/' },
      to: { pathNot: '^server/(delivery|common)/' },
    },
    {
      name: 'receiver-stays-public',
      severity: 'error',
      comment: 'The receiver may face the internet: it never reaches into the private UI/API listener, the sender or the CLI.',
      from: { path: '^server/receiver/' },
      to: { path: ['^server/(api|sender|commands|check)/', '^server/(inspector|main|config)\\.ts$'] },
    },
    {
      name: 'sender-only-sends',
      severity: 'error',
      comment: 'sender/ sends; flags belong to commands/, request bodies to api/.',
      from: { path: '^server/sender/' },
      to: { path: ['^server/(commands|api)/', '^server/(config|inspector|main)\\.ts$'] },
    },
    {
      name: 'stream-gets-parts-passed-in',
      severity: 'error',
      comment: 'stream/ fans out what was committed; listeners and senders are handed to it, never imported.',
      from: { path: '^server/stream/' },
      to: { path: ['^server/(api|receiver|sender|commands|check)/', '^server/(inspector|main|config)\\.ts$'] },
    },
    {
      name: 'ui-imports-only-common',
      severity: 'error',
      comment: 'The UI imports from the server only the pure modules both sides share.',
      from: { path: '^ui/' },
      to: { path: '^server/', pathNot: '^server/common/' },
    },
    {
      name: 'ui-reads-the-contract-as-types',
      severity: 'error',
      comment: 'The UI takes the API contract as types only (client-type.ts), so no schema library lands in its bundle.',
      from: { path: '^ui/' },
      to: { path: '^server/common/contract/', pathNot: '^server/common/contract/client-type\\.ts$' },
    },
    {
      name: 'nothing-imports-tests-or-benches',
      severity: 'error',
      comment: 'Production code never depends on test or bench code.',
      from: { path: '^(server|ui)/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    moduleSystems: ['es6', 'cjs'],
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
