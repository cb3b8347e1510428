// SHA-256 in one call: crypto.hash (Node 20.12+) where this Node has it, about half the cost
// of createHash().update().digest() for the short inputs hashed per delivery (event keys and
// the body hash on the receive path); createHash on older Node 20 releases.
import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: string | Buffer, encoding: 'hex' | 'buffer') => string | Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

export function sha256(data: string | Buffer): Buffer {
  return oneShot ? (oneShot('sha256', data, 'buffer') as Buffer) : crypto.createHash('sha256').update(data).digest();
}

export function sha256Hex(data: string | Buffer): string {
  return oneShot ? (oneShot('sha256', data, 'hex') as string) : crypto.createHash('sha256').update(data).digest('hex');
}
