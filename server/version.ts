// The tool's version, as a constant: `--version`, `--help`, the API and HAR exports read it
// here without loading the server or reading package.json. `npm version` rewrites this file
// (scripts/write-version.mjs), and test/unit/version.test.ts holds it equal to package.json.
export const VERSION = '0.1.0';
