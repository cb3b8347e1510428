// GET /api/export (declared in common/contract/routes.ts): "Export matching" in the UI. The
// deliveries a filter matches, oldest first, as NDJSON (what `import` reads), HAR 1.2 or a
// curl script: the same writers as the `export` command, streamed a page at a time so a large
// export neither buffers in memory nor holds the event loop. Captured deliveries only: the
// server's tokens are never stored with them, so no secret can be in the file.
import { API_ROUTES } from '../common/contract/routes.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import { createCurlWriter, createHarWriter, createNdjsonWriter, type ExportFormat, type ExportWriter } from '../export/export-formats.ts';
import { VERSION } from '../version.ts';
import { createContractApp } from './errors.ts';
import { queryFromParams } from './routes.ts';

export interface ExportRoutesDeps {
  deliveries: Pick<DeliveryStore, 'listAfter' | 'get' | 'facets'>;
  /** The curl script's and HAR's default target: this inspector's receiver. */
  receiverUrl(): string;
}

const PAGE = 200;
const TYPES: Record<ExportFormat, { type: string; ext: string }> = {
  ndjson: { type: 'application/x-ndjson', ext: 'ndjson' },
  har: { type: 'application/json', ext: 'har' },
  curl: { type: 'text/x-shellscript', ext: 'sh' },
};

export function createExportRoutes(deps: ExportRoutesDeps) {
  return createContractApp().openapi(API_ROUTES.exportMatching, (c) => {
    const params = c.req.valid('query');
    const format: ExportFormat = params.format ?? 'ndjson';
    const query = queryFromParams(params); // a bad query is a 400 here, before any byte is sent
    const q = params.q ?? '';
    const target = deps.receiverUrl().replace(/\/+$/, '');
    const writer: ExportWriter = format === 'har' ? createHarWriter(VERSION, target)
      : format === 'curl' ? createCurlWriter(`${deps.deliveries.facets(query).total} deliveries${q ? ` matching ${q}` : ''}`, target)
      : createNdjsonWriter();
    const encoder = new TextEncoder();
    let cursor = 0;
    let state: 'begin' | 'rows' | 'done' = 'begin';
    const stream = new ReadableStream<Uint8Array>({
      // One page per pull: the reader's pace sets ours, and other requests run in between.
      pull(controller) {
        if (state === 'begin') {
          state = 'rows';
          const head = writer.begin();
          if (head) return controller.enqueue(encoder.encode(head));
        }
        const page = deps.deliveries.listAfter(query, cursor, PAGE);
        if (page.length === 0) {
          state = 'done';
          const tail = writer.end();
          if (tail) controller.enqueue(encoder.encode(tail));
          return controller.close();
        }
        cursor = page[page.length - 1]!.id;
        let text = '';
        for (const summary of page) {
          const d = deps.deliveries.get(summary.id);
          if (d) text += writer.entry(d); // deleted since the page was read: left out
        }
        controller.enqueue(encoder.encode(text));
      },
    });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    return new Response(stream, {
      headers: {
        'content-type': TYPES[format].type,
        'content-disposition': `attachment; filename="deliveries-${stamp}.${TYPES[format].ext}"`,
        // Opened directly rather than saved, nothing in it runs.
        'content-security-policy': 'sandbox',
      },
    });
  });
}
