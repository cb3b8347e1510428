// Deliveries that verified and share the bytes or the event link with a given one: the
// evidence signature debugging reads to tell a changed body from another token. A few rows
// at most, found through the body-hash and link-key indexes.
import type { Db } from './db.ts';

export interface SignatureSibling {
  id: number;
  sameBody: boolean;
  /** Same link key; the caller confirms the event link itself (keys may collide). */
  sameLinkKey: boolean;
}

const LIMIT = 20;

export type SignatureSiblings = ReturnType<typeof createSignatureSiblings>;

export function createSignatureSiblings(db: Db) {
  const self = db.prepare('SELECT link_key, body_sha256 FROM deliveries WHERE id = ?');
  // substr(..., 1, 16): the expression of the deliveries_sha index, written the same way so it is used.
  const bySha = db.prepare(`SELECT id FROM deliveries WHERE substr(body_sha256, 1, 16) = ? AND body_sha256 = ?
    AND id != ? AND signature = 'valid' ORDER BY id DESC LIMIT ${LIMIT}`).pluck();
  const byLink = db.prepare(`SELECT id, body_sha256 FROM deliveries WHERE link_key = ? AND id != ? AND signature = 'valid'
    ORDER BY id DESC LIMIT ${LIMIT}`);

  /** Verified deliveries with the same bytes first, then of the same event link key. */
  function find(id: number): SignatureSibling[] {
    const row = self.get(id) as { link_key: number | null; body_sha256: string } | undefined;
    if (!row) return [];
    const out = new Map<number, SignatureSibling>();
    for (const other of bySha.all(row.body_sha256.slice(0, 16), row.body_sha256, id) as number[]) {
      out.set(other, { id: other, sameBody: true, sameLinkKey: false });
    }
    if (row.link_key !== null) {
      for (const r of byLink.all(row.link_key, id) as { id: number; body_sha256: string }[]) {
        const known = out.get(r.id);
        if (known) known.sameLinkKey = true;
        else out.set(r.id, { id: r.id, sameBody: r.body_sha256 === row.body_sha256, sameLinkKey: true });
      }
    }
    return [...out.values()];
  }

  return { find };
}
