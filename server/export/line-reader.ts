// Lines of a possibly huge file without holding more than one line (bounded) in memory:
// an over-long line is reported and skipped, never buffered without end.
import type { Readable } from 'node:stream';

export type Line = { number: number; text: string; bytesRead: number } | { number: number; tooLong: true; bytesRead: number };

export async function* readLines(stream: Readable, maxLineBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  let number = 0;
  let bytesRead = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      number++;
      if (skipping || size + (nl - start) > maxLineBytes) {
        yield { number, tooLong: true, bytesRead };
      } else {
        parts.push(chunk.subarray(start, nl));
        yield { number, text: Buffer.concat(parts).toString('utf8').replace(/\r$/, ''), bytesRead };
      }
      parts = [];
      size = 0;
      skipping = false;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (skipping) continue;
    if (size + rest.length > maxLineBytes) {
      skipping = true;
      parts = [];
      size = 0;
    } else if (rest.length > 0) {
      parts.push(Buffer.from(rest));
      size += rest.length;
    }
  }
  if (skipping) yield { number: number + 1, tooLong: true, bytesRead };
  else if (size > 0) yield { number: number + 1, text: Buffer.concat(parts).toString('utf8').replace(/\r$/, ''), bytesRead };
}
