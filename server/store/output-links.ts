// Delivery -> output correlation for a whole group commit at once: one indexed query per rule
// per group (the candidate keys of every output in one JSON array), instead of up to three
// statements per output. The rules and their order are the issue's: event id, then title
// within a second, then body hash; among several deliveries an accepted one beats a refused
// (forged) copy, then the newest wins.
import type { Db } from './db.ts';
import type { OutputLinkRule } from '../common/protocol.ts';
import { DELIVERIES_BY_TITLE_KEY } from './title-keys.ts';

/** What correlation needs of an output: the candidates found in it when it was parsed. */
export interface LinkCandidates {
  /** Event ids found in the output (for the note) and their keys (linkKeyOf), in the same order. */
  eventIds: string[];
  linkKeys: number[];
  /** Title + second keys (titleKeysOf) at the output's time and a second either side. */
  titleKeys: number[];
  /** SHA-256 hex of the output's bytes and of any exact text it embeds. */
  bodyHashes: string[];
}

export interface OutputLink {
  deliveryId: number | null;
  rule: OutputLinkRule | null;
  /** Which of the output's event ids matched (event_link), else 0. */
  eventIndex: number;
}

/** Rules as small numbers on the wire (writer thread -> event loop): index in this list, -1 none. */
export const LINK_RULES: readonly OutputLinkRule[] = ['event_link', 'title_time', 'body_hash'];

/** Why an output links where it does, or why it links nowhere: stored with it and shown. */
export function linkNoteOf(o: Pick<LinkCandidates, 'eventIds' | 'titleKeys'>, rule: OutputLinkRule | null, eventIndex = 0): string {
  if (rule === 'event_link') return `event id ${o.eventIds[eventIndex] ?? ''}`;
  if (rule === 'title_time') return 'same title within a second';
  if (rule === 'body_hash') return 'same bytes as the delivery body';
  return [
    o.eventIds.length ? `no delivery with event id ${o.eventIds.slice(0, 2).join(', ')}` : 'no event link or id in it',
    o.titleKeys.length ? 'no delivery with its title at its time' : 'no title with a time',
    'no delivery with the same body',
  ].join('; ');
}

interface Found {
  id: number;
  refused: boolean;
}

/** Accepted deliveries first, then the newest: a forged copy never hides the real one. */
const better = (a: Found | undefined, b: Found): boolean => a === undefined || (a.refused !== b.refused ? a.refused : b.id > a.id);

interface KeyRow {
  k: number | string;
  id: number;
  status: number;
}

export function createOutputLinker(db: Db) {
  // `IN (SELECT value FROM json_each(?))`: one statement whatever the group's size, each key one
  // probe of the (partial) index. Every matching row comes back; the best is chosen here.
  const byLink = db.prepare('SELECT link_key AS k, id, status FROM deliveries WHERE link_key IN (SELECT value FROM json_each(?))');
  const byTitle = db.prepare(DELIVERIES_BY_TITLE_KEY);
  // 64 bits of the hash are indexed (deliveries_sha); the row's full hash confirms. Only rows
  // without an event link are indexed by hash (migrations.ts): an output carrying a linked
  // delivery's bytes carries its link too, and the first rule finds it.
  const bySha = db.prepare(`SELECT body_sha256 AS k, id, status FROM deliveries
    WHERE substr(body_sha256, 1, 16) IN (SELECT value FROM json_each(?)) AND link_key IS NULL`);

  function lookup(statement: typeof byLink, keys: Set<number | string>, named = false): Map<number | string, Found> {
    const best = new Map<number | string, Found>();
    if (keys.size === 0) return best;
    const json = JSON.stringify([...keys]);
    for (const r of (named ? statement.all({ keys: json }) : statement.all(json)) as KeyRow[]) {
      const found = { id: r.id, refused: r.status >= 300 };
      if (better(best.get(r.k), found)) best.set(r.k, found);
    }
    return best;
  }

  /** The link of each output, in order; each rule is asked only for the outputs the previous left unlinked. */
  function linkAll(outputs: readonly LinkCandidates[]): OutputLink[] {
    const links: OutputLink[] = outputs.map(() => ({ deliveryId: null, rule: null, eventIndex: 0 }));
    const linkKeys = new Set<number>();
    for (const o of outputs) for (const k of o.linkKeys) linkKeys.add(k);
    const byLinkKey = lookup(byLink, linkKeys);
    const titleKeys = new Set<number>();
    outputs.forEach((o, i) => {
      for (let j = 0; j < o.linkKeys.length; j++) {
        const found = byLinkKey.get(o.linkKeys[j]!);
        if (found) {
          links[i] = { deliveryId: found.id, rule: 'event_link', eventIndex: j };
          return;
        }
      }
      for (const k of o.titleKeys) titleKeys.add(k);
    });
    const byTitleKey = lookup(byTitle, titleKeys, true);
    const shaPrefixes = new Set<string>();
    outputs.forEach((o, i) => {
      if (links[i]!.rule !== null) return;
      let best: Found | undefined;
      for (const k of o.titleKeys) {
        const found = byTitleKey.get(k);
        if (found && better(best, found)) best = found;
      }
      if (best) links[i] = { deliveryId: best.id, rule: 'title_time', eventIndex: 0 };
      else for (const h of o.bodyHashes) shaPrefixes.add(h.slice(0, 16));
    });
    if (shaPrefixes.size === 0) return links;
    const bySha256 = new Map<number | string, Found>();
    for (const r of bySha.all(JSON.stringify([...shaPrefixes])) as KeyRow[]) {
      // Newest first among the same bytes (a duplicate of an accepted body is itself a delivery).
      const prior = bySha256.get(r.k);
      if (prior === undefined || r.id > prior.id) bySha256.set(r.k, { id: r.id, refused: r.status >= 300 });
    }
    outputs.forEach((o, i) => {
      if (links[i]!.rule !== null) return;
      let best: Found | undefined;
      for (const h of o.bodyHashes) {
        const found = bySha256.get(h);
        if (found && (best === undefined || found.id > best.id)) best = found;
      }
      if (best) links[i] = { deliveryId: best.id, rule: 'body_hash', eventIndex: 0 };
    });
    return links;
  }

  return { linkAll };
}
