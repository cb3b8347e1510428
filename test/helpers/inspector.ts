// Starts the real inspector (both listeners on port 0, a real SQLite file in a temp dir)
// for integration and end-to-end tests, with a restart on the same database and ports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInspector, type Inspector, type InspectorConfig } from '../../server/inspector.ts';

export interface TestInspector {
  uiUrl: string;
  receiverUrl: string;
  dbPath: string;
  dir: string;
  inspector: Inspector;
  /** Close and start again on the same database and ports. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function testConfig(dbPath: string, overrides: Partial<InspectorConfig> = {}): InspectorConfig {
  return {
    db: dbPath,
    uiPort: 0,
    receiverPort: 0,
    host: '127.0.0.1',
    receiverHost: '127.0.0.1',
    tokens: [],
    maxBody: 1024 * 1024,
    timeoutMs: 10_000,
    requireUserAgent: false,
    acceptInvalid: false,
    maxDeliveries: 100_000,
    durability: 'normal',
    response: { status: 200, delayMs: 0 },
    allowedHosts: [],
    accessToken: null,
    quiet: true,
    ...overrides,
  };
}

export async function startTestInspector(overrides: Partial<InspectorConfig> = {}): Promise<TestInspector> {
  const dir = mkdtempSync(join(tmpdir(), 'soveren-inspector-test-'));
  const dbPath = join(dir, 'test.db');
  let inspector = await startInspector(testConfig(dbPath, overrides));
  const portOf = (url: string) => Number(new URL(url).port);
  const t: TestInspector = {
    uiUrl: inspector.uiUrl,
    receiverUrl: inspector.receiverUrl,
    dbPath,
    dir,
    inspector,
    async restart() {
      await inspector.close();
      inspector = await startInspector(testConfig(dbPath, { ...overrides, uiPort: portOf(t.uiUrl), receiverPort: portOf(t.receiverUrl) }));
      t.inspector = inspector;
    },
    async close() {
      await inspector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
