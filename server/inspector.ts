// Builds the running inspector from a Config: store, hub, ingest, both listeners. Used by
// `serve` and by the integration tests (port 0, temp database), so both run the same code.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { openDatabase, type Db, type Durability } from './store/db.ts';
import { createDeliveryStore } from './store/deliveries.ts';
import { createAttemptStore } from './store/attempts.ts';
import { createCoverageReads } from './store/coverage.ts';
import { createCoverageRoutes } from './api/coverage-routes.ts';
import { createSignatureRoutes } from './api/signature-routes.ts';
import { createSignatureSiblings } from './store/signature-siblings.ts';
import { createHub } from './stream/hub.ts';
import { createIngest } from './receiver/ingest.ts';
import { createCommitFanOut, startExternalRows } from './stream/after-commit.ts';
import { startWriter, type Writer } from './store/writer.ts';
import { createReader } from './store/reader.ts';
import { createReceiverServer } from './receiver/server.ts';
import { createGuards, rejectMalformedRequest } from './api/guards.ts';
import { createUiApp } from './api/app.ts';
import { createStreamUpgrade } from './api/stream.ts';
import { loadStaticFiles } from './api/static.ts';
import { createLogger, type Logger } from './log.ts';
import { createForwarder, type ForwardConfig } from './sender/forwarder.ts';
import { createJobs } from './sender/jobs.ts';
import { createSenderRoutes } from './api/sender-routes.ts';
import { createCheckRoutes } from './api/check-routes.ts';
import { createCheckRunStore } from './store/check-runs.ts';
import type { ReceiverResponseSetting } from './common/protocol.ts';
import { VERSION } from './version.ts';
import { UI_DIR } from './dist.ts';
import { createOutputStore } from './store/outputs.ts';
import { createOutputIngest } from './sink/output-ingest.ts';
import { startSinks } from './sink/sinks.ts';
import { createOutputTap } from './sink/output-tap.ts';
import { createOutputFeed } from './stream/output-feed.ts';
import { createOutputRoutes } from './api/output-routes.ts';
import { createSiemRoutes } from './api/siem-routes.ts';
import { createExportRoutes } from './api/export-routes.ts';

export interface InspectorConfig {
  db: string;
  uiPort: number;
  receiverPort: number;
  host: string;
  receiverHost: string;
  tokens: readonly string[];
  maxBody: number;
  /** Header and body timeout of the receiver, ms. */
  timeoutMs: number;
  requireUserAgent: boolean;
  acceptInvalid: boolean;
  maxDeliveries: number;
  durability: Durability;
  response: ReceiverResponseSetting;
  allowedHosts: readonly string[];
  accessToken: string | null;
  quiet: boolean;
  /** Directory of the built UI. */
  uiDir?: string;
  logger?: Logger;
  /** Live forwarding of accepted deliveries (serve --forward-to); switchable through the API. */
  forward?: ForwardConfig;
  /** HTTP sink port (HEC, Elasticsearch, generic JSON); 0 or absent picks a free port. */
  sinkPort?: number;
  /** Syslog sink port, TCP and UDP; 0 or absent picks a free port. */
  syslogPort?: number;
  /** Address of both sinks (default 127.0.0.1). */
  sinkHost?: string;
  /** Token SIEM clients must present; null or absent: any token is accepted. */
  sinkToken?: string | null;
  /** How often rows written by other processes are looked for, ms (default 1000; tests go faster). */
  adoptIntervalMs?: number;
}

export type Inspector = Awaited<ReturnType<typeof startInspector>>;


function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlFor(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

/**
 * `writerStarting`: the writer thread, when the caller started it already (`serve` does,
 * before it loads this module, so the thread starts while the listeners' code loads).
 */
export async function startInspector(config: InspectorConfig, writerStarting = startWriter({ file: config.db, durability: config.durability, maxDeliveries: config.maxDeliveries })) {
  const logger = config.logger ?? createLogger({ quiet: config.quiet });
  let db: Db;
  try {
    db = openDatabase(config.db, { durability: config.durability });
  } catch (err) {
    void writerStarting.then((w) => w.close(), () => {});
    throw err;
  }
  // Checkpoints run on the writer thread (store/writer-thread.ts), never on the event loop.
  db.pragma('wal_autocheckpoint = 0');
  const deliveries = createDeliveryStore(db, { maxDeliveries: config.maxDeliveries });
  const attempts = createAttemptStore(db);
  const hub = createHub({ store: deliveries });
  // Forwarding is queued after the commit, beside the stream push: it never delays an answer.
  const forwarder = createForwarder({
    deliveries, attempts, publishAttempt: (id, a) => hub.publishAttempt(id, a), ownReceiverUrl: () => receiverUrl(),
    receiverToken: config.tokens[0] ?? null,
    // Tries are stored in batches on the writer thread (assigned below, before any commit can start a forward).
    writeAttempts: (list) => writer.insertAttempts(list),
    ...(config.forward && { config: config.forward }), log: (line) => logger.warn(line),
  });
  const jobs = createJobs({ publish: (job) => hub.publishJob(job), onError: (err) => logger.warn(`job failed: ${err.message}`) });
  // Group commits run on the writer thread (its own connection); reads that touch many rows
  // (histogram, free-text facets) on the reader thread, started by the first such question;
  // the rest stay on this connection.
  let writer: Writer;
  try {
    writer = await writerStarting;
  } catch (err) {
    db.close();
    throw err;
  }
  const reader = createReader(config.db);
  // SIEM outputs: committed on the writer thread (linked to their deliveries there), then streamed.
  const outputs = createOutputStore(db, { maxOutputs: config.maxDeliveries });
  const outputFeed = createOutputFeed(outputs);
  const outputIngest = createOutputIngest(writer, (batch) => outputFeed.publish(batch));
  // The Check dialog's `through` runs watch the sinks' committed outputs through this tap.
  const outputTap = createOutputTap(outputIngest);
  const ingest = createIngest(writer, createCommitFanOut([(batch) => hub.publish(batch), (batch, records) => forwarder.enqueue(batch, records)], (err) => logger.warn(`after commit: ${err.message}`)));
  const response = { ...config.response };
  // `import` and `replay` run from a terminal may write to this database while we serve it.
  const externalRows = startExternalRows({
    deliveries, attempts, hub, pending: () => ingest.pending, attemptsCommitting: () => forwarder.attemptsCommitting, intervalMs: config.adoptIntervalMs ?? 1000,
  });

  let receiverPort = config.receiverPort;
  let uiPort = config.uiPort;
  const receiverUrl = () => urlFor(config.receiverHost === '0.0.0.0' || config.receiverHost === '::' ? '127.0.0.1' : config.receiverHost, receiverPort);
  const uiUrl = () => urlFor(config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host, uiPort);

  const receiverServer = createReceiverServer({
    ingest,
    tokens: config.tokens,
    maxBody: config.maxBody,
    timeoutMs: config.timeoutMs,
    requireUserAgent: config.requireUserAgent,
    acceptInvalid: config.acceptInvalid,
    response,
    onDelivery: (summary) => logger.delivery(summary),
  });

  const allowedHosts = ['localhost', '127.0.0.1', '[::1]', ...config.allowedHosts, config.host].map((h) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h));
  const guards = createGuards({ allowedHosts, port: () => uiPort, accessToken: config.accessToken });
  // Sender routes (replay, send, check) join here as the sender lands.
  const checks = createCheckRoutes({
    runs: createCheckRunStore(db), publish: (m) => hub.publishCheck(m), log: (line) => logger.warn(line),
    sinks: { subscribe: outputTap.subscribe, running: () => sinks !== null }, adoptIntervalMs: config.adoptIntervalMs ?? 1000,
  });
  const extraApi = [
    createSenderRoutes({ deliveries, attempts, hub, receiverUrl, receiverTokens: config.tokens, forwarder, jobs, maxBody: config.maxBody }),
    checks.routes,
    createCoverageRoutes({ coverage: createCoverageReads(db) }),
    createSignatureRoutes({
      deliveries, tokens: config.tokens, siblings: createSignatureSiblings(db), verdictOf: (id) => deliveries.get(id)?.signature,
    }),
    createOutputRoutes({ outputs, feed: outputFeed, deliveries }),
    createSiemRoutes({ deliveries }),
    createExportRoutes({ deliveries, receiverUrl }),
  ];
  const sinkToken = config.sinkToken ?? null;
  let sinks: Awaited<ReturnType<typeof startSinks>> | null = null;
  const uiApp = createUiApp({
    deliveries,
    reader,
    attempts,
    hub,
    guards,
    version: VERSION,
    receiverUrl,
    uiUrl,
    response,
    info: { tokenCount: config.tokens.length, requireUserAgent: config.requireUserAgent, acceptInvalid: config.acceptInvalid, maxBody: config.maxBody, durability: config.durability },
    staticFiles: loadStaticFiles(config.uiDir ?? UI_DIR),
    logger,
    extraApi,
    sinks: {
      health: () => {
        const s = outputs.stats();
        return {
          sinkUrl: sinks?.sinkUrl ?? '', syslogAddress: sinks?.syslogAddress ?? '', tokenRequired: sinkToken !== null,
          outputs: s.total, lastOutputId: s.lastId, outputsPruned: s.pruned, maxOutputs: outputs.maxOutputs,
        };
      },
      linkedTo: (id) => outputs.forDelivery(id),
    },
  });
  const uiServer = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, getRequestListener(uiApp.fetch, { errorHandler: rejectMalformedRequest }));
  const stream = createStreamUpgrade({ hub, guards, outputs: outputFeed });
  uiServer.on('upgrade', stream.handleUpgrade);

  try {
    receiverPort = await listen(receiverServer, config.receiverPort, config.receiverHost);
    uiPort = await listen(uiServer, config.uiPort, config.host);
    sinks = await startSinks({
      ingest: outputTap.ingest, token: sinkToken, maxBody: config.maxBody, timeoutMs: config.timeoutMs,
      host: config.sinkHost ?? '127.0.0.1', httpPort: config.sinkPort ?? 0, syslogPort: config.syslogPort ?? 0,
      onError: (line) => logger.warn(line),
    });
  } catch (err) {
    receiverServer.close();
    uiServer.close();
    await writer.close();
    await reader.close();
    db.close();
    throw err;
  }

  let closing: Promise<void> | null = null;
  async function close(): Promise<void> {
    closing ??= (async () => {
      // Stop taking new requests, let in-flight deliveries commit and be answered.
      externalRows.stop();
      const receiverClosed = new Promise<void>((r) => receiverServer.close(() => r()));
      receiverServer.closeIdleConnections();
      const deadline = Date.now() + 5000;
      await Promise.race([receiverClosed, new Promise((r) => setTimeout(r, 5000).unref())]); // unref: must not delay exit
      while (ingest.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await ingest.flush();
      receiverServer.closeAllConnections();
      // Sinks stop taking input; what they already took commits before the writer closes.
      await sinks?.close();
      await outputIngest.flush();
      outputFeed.close();
      await jobs.close();
      await forwarder.close();
      checks.close(); // marks a running check interrupted while the database is still open
      hub.close();
      stream.close();
      await new Promise<void>((r) => {
        uiServer.close(() => r());
        uiServer.closeAllConnections();
      });
      await writer.close();
      await reader.close();
      db.close();
    })();
    return closing;
  }

  return {
    receiverUrl: receiverUrl(), uiUrl: uiUrl(), sinkUrl: sinks!.sinkUrl, syslogAddress: sinks!.syslogAddress, uiApp,
    db, deliveries, attempts, outputs, hub, ingest, outputIngest, externalRows, logger, forwarder, jobs, close,
  };
}
