// More headers than Node keeps by default (1,000): the receiver judges a request on every
// header it carried, or not at all. A repeated x-soveren-signature placed before or after
// 1,100 (or 3,000) filler headers is seen and the request refused as malformed; 10,000
// headers are over the header-size limit and refused by the listener before anything is
// judged or stored. Raw TCP, so the header list is exactly what is written here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../server/soveren/signature.ts';
import { getJson } from '../helpers/http.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { portOf } from '../helpers/serve-process.ts';
import { sendBytes } from '../helpers/socket.ts';

const TOKEN = 'header-count-token';
let t: TestInspector;
beforeAll(async () => {
  t = await startTestInspector({ tokens: [TOKEN] });
});
afterAll(() => t.close());

const body = JSON.stringify({ title: 'header count', category: 'Other', event_type: 'discovery_complete' });
const signature = `x-soveren-signature: ${signBody(body, TOKEN)}`;

/** A signed POST with `fillers` short headers (5 bytes each), the given signature lines first and last. */
function request(fillers: number, first: string[], last: string[]): string {
  const filler = Array.from({ length: fillers }, (_, i) => `f:${i % 10}`);
  const lines = ['POST /count HTTP/1.1', 'Host: 127.0.0.1', ...first, 'Content-Type: application/json', `Content-Length: ${body.length}`, ...filler, ...last, 'Connection: close'];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

async function send(raw: string) {
  const r = await sendBytes(portOf(t.receiverUrl), raw, 10_000);
  const id = r.status === 0 || r.status === 431 ? null : (JSON.parse(r.body) as { id: number }).id;
  return { status: r.status, head: r.head, id };
}

async function stored(id: number | null) {
  return getJson<{ signature: string; signatureDetail: { reason: string }; headers: [string, string][] }>(`${t.uiUrl}api/deliveries/${id}`);
}

describe('a repeated signature hidden behind many headers', () => {
  for (const fillers of [1_100, 3_000]) {
    it(`is seen after ${fillers} filler headers: 401 malformed, every header stored`, async () => {
      const r = await send(request(fillers, [signature], [signature]));
      expect(r.status).toBe(401);
      const d = await stored(r.id);
      expect(d.signature).toBe('malformed');
      expect(d.signatureDetail.reason).toMatch(/sent 2 times/);
      expect(d.headers.filter(([name]) => name === 'f')).toHaveLength(fillers);
      expect(d.headers.at(-2)).toEqual(['x-soveren-signature', signBody(body, TOKEN)]);
    });
  }

  it('a single signature after 1,100 headers is found and judged valid', async () => {
    const r = await send(request(1_100, [], [signature]));
    expect(r.status).toBe(200);
    expect((await stored(r.id)).signature).toBe('valid');
  });

  it('10,000 headers are over the header-size limit: refused with 431, never judged or stored', async () => {
    const before = (await getJson<{ deliveries: number }>(`${t.uiUrl}api/health`)).deliveries;
    for (const [first, last] of [[[signature], [signature]], [[signature], []], [[], [signature]]] as const) {
      const r = await send(request(10_000, [...first], [...last]));
      // Node answers 431 and closes; a reset that beats the answer is a refusal too.
      expect([0, 431]).toContain(r.status);
    }
    expect((await getJson<{ deliveries: number }>(`${t.uiUrl}api/health`)).deliveries).toBe(before);
  });
});
