// GET /api/deliveries/:id/siem/:format (declared in common/contract/routes.ts): one stored
// delivery as OCSF, ECS, CEF or a Splunk HEC envelope, with the source -> target rows and what
// the format had no field for. A body that is not a JSON event object is a 422 that says why.
import { mapDelivery, type HecOptions } from '../siem/index.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import { API_ROUTES } from '../common/contract/routes.ts';
import { ApiError, createContractApp } from './errors.ts';

export interface SiemRoutesDeps {
  deliveries: Pick<DeliveryStore, 'getRaw'>;
}

export function createSiemRoutes(deps: SiemRoutesDeps) {
  return createContractApp().openapi(API_ROUTES.siemMapping, (c) => {
    const { id, format } = c.req.valid('param');
    const query = c.req.valid('query');
    const hec: HecOptions = {};
    if (query.payload !== undefined) hec.payload = query.payload;
    if (query.index) hec.index = query.index;
    if (query.host) hec.host = query.host;
    const raw = deps.deliveries.getRaw(id);
    if (!raw) throw new ApiError(404, `delivery ${id} not found`);
    const result = mapDelivery(format, { id, receivedAt: raw.receivedAt, body: raw.body, bodySha256: raw.bodySha256 }, hec);
    if (!result.ok) throw new ApiError(422, `delivery ${id} cannot be mapped: ${result.reason}`);
    const { output, fields, unmapped, unmappedTarget, findings } = result.mapping;
    return c.json({ format, output, fields, unmapped, unmappedTarget, findings }, 200);
  });
}
