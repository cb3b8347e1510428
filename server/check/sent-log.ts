// What the check sent, for `check --through`: every event body with whether it was validly
// signed (and so should reach the SIEM once the connector accepted it) or forged (and so
// must never reach it), the connector's answer, and when it was sent.
import { signBody } from '../soveren/signature.ts';
import { SIGNATURE_HEADER } from '../common/catalog.ts';
import { eventIdOf } from '../soveren/event-keys.ts';

export interface SentEvent {
  eventId: string;
  eventType: string;
  title: string;
  category: string;
  sensitivity: string | null;
  /** Epoch ms of the event's `time`. */
  time: number | null;
  eventLink: string;
  /** Signed with the run's token, exactly once. */
  valid: boolean;
  /** The connector answered 2xx. */
  accepted: boolean;
  /** Epoch ms the (first) request was sent: the delivery's time, where the latency to the SIEM starts. */
  sentAt: number;
  /** How many times this same event was sent validly (a retry sends it twice). */
  copies: number;
}

export type SentLog = ReturnType<typeof createSentLog>;

export function createSentLog(token: string) {
  const events = new Map<string, SentEvent>();
  return {
    /** Called for every request the check made (scenario.ts `post`). */
    record(body: Uint8Array, headers: readonly [string, string][], status: number | null, sentAt: number): void {
      let event: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return;
        event = parsed as Record<string, unknown>;
      } catch {
        return; // not an event: nothing to find in the SIEM
      }
      const link = typeof event.event_link === 'string' ? event.event_link : null;
      const eventId = link === null ? null : eventIdOf(link);
      if (eventId === null) return;
      const signatures = headers.filter(([n]) => n.toLowerCase() === SIGNATURE_HEADER).map(([, v]) => v);
      // Uppercase hex is the right HMAC (reported by its own scenario), not a forgery.
      const valid = signatures.length === 1 && signatures[0]!.toLowerCase() === signBody(body, token);
      const accepted = status !== null && status >= 200 && status < 300;
      const known = events.get(eventId.toLowerCase());
      if (known) {
        // The same event again: a retry (valid) or a forged copy of a valid one (never both kinds).
        if (valid && known.valid) known.copies++;
        known.accepted ||= accepted && valid;
        if (!valid && accepted) known.valid = false;
        return;
      }
      const time = typeof event.time === 'string' ? Date.parse(event.time) : NaN;
      events.set(eventId.toLowerCase(), {
        eventId: eventId.toLowerCase(), eventLink: link!, valid, accepted, sentAt, copies: 1,
        eventType: String(event.event_type ?? ''), title: String(event.title ?? ''), category: String(event.category ?? ''),
        sensitivity: typeof event.sensitivity === 'string' ? event.sensitivity : null, time: Number.isNaN(time) ? null : time,
      });
    },
    events(): SentEvent[] {
      return [...events.values()];
    },
  };
}
