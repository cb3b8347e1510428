// GET /api/deliveries/:id/siem/:format: one stored delivery as OCSF, ECS, CEF or a Splunk HEC
// envelope, with the source -> target rows and what the format had no field for. A body that
// is not a JSON event object is a 422 that says why; bad ids and formats are 400, unknown ids 404.
import { Hono } from 'hono';
import { mapDelivery, SIEM_FORMATS, type HecOptions, type SiemFormat } from '../siem/index.ts';
import type { SiemMappingResponse } from '../shared/protocol.ts';
import type { DeliveryStore } from '../store/deliveries.ts';

export interface SiemRoutesDeps {
  deliveries: Pick<DeliveryStore, 'getRaw'>;
}

const HEC_PAYLOADS = ['soveren', 'ocsf', 'ecs'] as const;

export function createSiemRoutes(deps: SiemRoutesDeps) {
  const api = new Hono();
  api.get('/deliveries/:id/siem/:format', (c) => {
    const idText = c.req.param('id');
    if (!/^\d{1,15}$/.test(idText)) return c.json({ error: `delivery id must be a number, got "${idText.slice(0, 40)}"` }, 400);
    const format = c.req.param('format');
    if (!(SIEM_FORMATS as readonly string[]).includes(format)) {
      return c.json({ error: `format must be one of ${SIEM_FORMATS.join(', ')}, got "${format.slice(0, 40)}"` }, 400);
    }
    const hec: HecOptions = {};
    const payload = c.req.query('payload');
    if (payload !== undefined && payload !== '') {
      if (!(HEC_PAYLOADS as readonly string[]).includes(payload)) return c.json({ error: `payload must be one of ${HEC_PAYLOADS.join(', ')}` }, 400);
      hec.payload = payload as HecOptions['payload'];
    }
    for (const name of ['index', 'host'] as const) {
      const value = c.req.query(name);
      if (value === undefined || value === '') continue;
      if (value.length > 200) return c.json({ error: `${name} is too long (200 characters at most)` }, 400);
      hec[name] = value;
    }
    const id = Number(idText);
    const raw = deps.deliveries.getRaw(id);
    if (!raw) return c.json({ error: `delivery ${id} not found` }, 404);
    const result = mapDelivery(format as SiemFormat, { id, receivedAt: raw.receivedAt, body: raw.body, bodySha256: raw.bodySha256 }, hec);
    if (!result.ok) return c.json({ error: `delivery ${id} cannot be mapped: ${result.reason}` }, 422);
    const { output, fields, unmapped, unmappedTarget, findings } = result.mapping;
    const body: SiemMappingResponse = { format: format as SiemFormat, output, fields, unmapped, unmappedTarget, findings };
    return c.json(body);
  });
  return api;
}
