// Loaded with `node --import` by test/integration/cli-lazy.test.ts: appends the URL of every
// module the process resolves (ESM imports, packages included) to $MODULE_LOG, so the test
// sees what a command loaded. Plain JavaScript: the CLI under test runs without tsx.
import { register } from 'node:module';
import { appendFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => appendFileSync(process.env.MODULE_LOG, url + '\n'));
port1.unref();
const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  port.postMessage(resolved.url);
  return resolved;
}`;
register('data:text/javascript,' + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] });
