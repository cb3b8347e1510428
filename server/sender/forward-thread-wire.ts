// What live forwarding's thread (forward-thread.ts) and the main thread
// (forward-thread-client.ts) say to each other.
import type { RetryPolicy } from './deliver.ts';
import type { SiemCredentials } from './transports/index.ts';
import type { TransportTry } from './transports/types.ts';
import type { PayloadFormat } from '../siem/index.ts';

/** main -> thread. */
export type ForwardThreadRequest =
  | { type: 'open'; route: number; url: string; format: PayloadFormat | undefined; credentials: SiemCredentials }
  | { type: 'close-route'; route: number }
  | { type: 'batch'; batch: number; route: number; deliveries: PackedDeliveries; timeoutMs: number; policy: RetryPolicy }
  | { type: 'abort' }
  | { type: 'close' };

/** A batch's deliveries: bodies packed in one transferred buffer, the rest side by side. */
export interface PackedDeliveries {
  ids: number[];
  receivedAt: string[];
  bodySha256: string[];
  lengths: number[];
  bodies: ArrayBuffer;
}

/** thread -> main: per batch `taken` once, `try` per try, then `done`. */
export type ForwardThreadReply =
  /** Rendered: `sent` go in the batch; `leftover` (in queue order) did not fit and go back to the queue. */
  | { type: 'taken'; batch: number; sent: number[]; unrenderable: { id: number; reason: string }[]; leftover: number[] }
  | { type: 'try'; batch: number; ids: number[]; result: TransportTry }
  | { type: 'done'; batch: number; error?: string };

/** Nice value of the forwarding thread: below the receiver's (0), yet never starved (Linux CFS weight 335 against 1024). */
export const FORWARD_THREAD_NICE = 5;

