// N live clients on /api/stream in their own process (as browsers would be): each records
// the delivery ids it is pushed, in arrival order. Over IPC the bench asks them to wait for
// an id and to check a list of acknowledged ids: every one received, exactly once, in order.
// Args: <uiUrl> <count>.
import WebSocket from 'ws';
import { serveIpc } from '../lib/child.ts';

const [uiUrl, countArg] = process.argv.slice(2);
if (!uiUrl) throw new Error('usage: ws-clients.ts <uiUrl> <count>');
const count = Number(countArg ?? 5);

interface Client {
  ws: WebSocket;
  ids: number[];
  lastId: number;
  messages: number;
}

const PREFIX = Buffer.from('{"type":"delivery","delivery":{"id":');
const streamUrl = new URL('api/stream', uiUrl).href.replace(/^http/, 'ws');
const clients: Client[] = await Promise.all(
  Array.from({ length: count }, () => new Promise<Client>((resolve, reject) => {
    const ws = new WebSocket(streamUrl, { perMessageDeflate: false });
    const c: Client = { ws, ids: [], lastId: 0, messages: 0 };
    ws.on('message', (data: Buffer) => {
      c.messages++;
      // These clients share two cores with the server under test, so a delivery's id is read
      // straight from the frame; every 64th message (and every other type) is fully parsed,
      // which also checks the frames are the JSON the contract promises.
      if (c.messages % 64 !== 0 && data.subarray(0, PREFIX.length).equals(PREFIX)) {
        const end = data.indexOf(0x2c, PREFIX.length); // the comma after the id
        const id = Number(data.toString('latin1', PREFIX.length, end));
        c.ids.push(id);
        c.lastId = id;
        return;
      }
      const m = JSON.parse(data.toString()) as { type: string; delivery?: { id: number }; lastId?: number };
      if (m.type === 'delivery') {
        c.ids.push(m.delivery!.id);
        c.lastId = m.delivery!.id;
      } else if (m.type === 'live') {
        resolve(c);
      }
    });
    ws.once('error', reject);
  })),
);

function check(acked: number[]) {
  return clients.map((c) => {
    let outOfOrder = 0;
    let duplicates = 0;
    const seen = new Set<number>();
    for (let i = 0; i < c.ids.length; i++) {
      const id = c.ids[i]!;
      if (seen.has(id)) duplicates++;
      seen.add(id);
      if (i > 0 && id <= c.ids[i - 1]!) outOfOrder++;
    }
    let missing = 0;
    for (const id of acked) if (!seen.has(id)) missing++;
    return { received: c.ids.length, missing, duplicates, outOfOrder };
  });
}

serveIpc({
  async waitFor(msg) {
    const target = msg.lastId as number;
    const deadline = Date.now() + ((msg.timeoutMs as number | undefined) ?? 15_000);
    while (clients.some((c) => c.lastId < target) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return clients.map((c) => c.lastId);
  },
  check: (msg) => check(msg.acked as number[]),
  cpu: () => process.cpuUsage(),
  reset() {
    for (const c of clients) c.ids = [];
    return true;
  },
});

process.on('disconnect', () => process.exit(0));
console.log(JSON.stringify({ clients: clients.length }));
