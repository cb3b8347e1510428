// Splunk HEC indexer acknowledgement: a request that names a channel gets an ackId (counted
// per channel from 0); POST /services/collector/ack reports which ids are indexed. Here an
// id is issued only after its outputs committed, so every issued id is true; an id reported
// true is forgotten, as Splunk does. Bounded: the oldest channels go first.

const MAX_CHANNELS = 1000;
const MAX_PENDING_PER_CHANNEL = 100_000;

/** Splunk requires a GUID as channel (code 11 "Invalid data channel" otherwise). */
export const CHANNEL_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

interface Channel {
  next: number;
  committed: Set<number>;
}

export function createAckTracker() {
  const channels = new Map<string, Channel>();

  function channel(id: string): Channel {
    let ch = channels.get(id);
    if (ch) {
      channels.delete(id); // re-insert: most recently used last
    } else {
      ch = { next: 0, committed: new Set() };
      if (channels.size >= MAX_CHANNELS) channels.delete(channels.keys().next().value!);
    }
    channels.set(id, ch);
    return ch;
  }

  return {
    /** An ackId for a request on this channel whose outputs are committed. */
    issue(channelId: string): number {
      const ch = channel(channelId);
      const id = ch.next++;
      ch.committed.add(id);
      if (ch.committed.size > MAX_PENDING_PER_CHANNEL) ch.committed.delete(ch.committed.values().next().value!);
      return id;
    },
    /** Status of each asked id; true ones are forgotten. */
    query(channelId: string, ids: number[]): Record<string, boolean> {
      const ch = channels.get(channelId);
      const out: Record<string, boolean> = Object.create(null) as Record<string, boolean>;
      for (const id of ids) {
        const done = ch?.committed.has(id) ?? false;
        out[String(id)] = done;
        if (done) ch!.committed.delete(id);
      }
      return out;
    },
  };
}
