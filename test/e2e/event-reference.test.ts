// The event-type reference in the UI: an event-type facet's tooltip says what the type is
// and how its title reads, and the detail pane has "About this event type" with the
// category, meaning, title template and fields with their types (GET /api/event-types).
import { describe, expect, it } from 'vitest';
import type { EventTypeReference } from '../../server/common/protocol.ts';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';

const e2e = useE2eFixture();

describe('event-type reference', () => {
  it('explains a type on its facet and in the detail pane; unknown types say so', async () => {
    const { items } = (await (await fetch(new URL('/api/event-types', e2e.inspector.uiUrl))).json()) as { items: EventTypeReference[] };
    expect(items).toHaveLength(29);
    const ref = items.find((i) => i.eventType === 'policy_violation')!;
    const id = await postEvent(e2e.inspector.receiverUrl, { title: 'Known', category: 'Data at risk', event_type: 'policy_violation' });
    const odd = await postEvent(e2e.inspector.receiverUrl, { title: 'Odd', category: 'Other', event_type: 'made_up_type' });

    const { page, errors } = await openPage(e2e.browser, `${e2e.inspector.uiUrl}?id=${id}`);
    await waitForList(page);
    // Hover text of the facet: description and title template first, then how to filter.
    const facet = page.locator('.facet[data-field="event_type"][data-value="policy_violation"]');
    await page.waitForFunction(
      (text) => document.querySelector('.facet[data-field="event_type"][data-value="policy_violation"]')?.getAttribute('title')?.startsWith(text),
      ref.description,
    );
    const title = (await facet.getAttribute('title'))!;
    expect(title).toContain(ref.titleTemplates[0]!);
    expect(title).toContain('event_type:policy_violation');
    const unknownFacet = await page.locator('.facet[data-field="event_type"][data-value="made_up_type"]').getAttribute('title');
    expect(unknownFacet!.startsWith('event_type:made_up_type')).toBe(true);

    // About this event type, in the open delivery.
    const about = page.locator(`.detail[data-id="${id}"]`).getByTestId('event-type-about');
    await about.waitFor();
    const text = (await about.textContent())!;
    expect(text).toContain(ref.categoryLabel);
    expect(text).toContain(ref.description);
    expect(text).toContain(ref.titleTemplates[0]!);
    const fields = await about.getByTestId('event-type-fields').locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)),
    );
    expect(fields).toEqual(ref.fields.map((f) => [f.name, f.type]));
    expect(fields.map(([name]) => name)).toContain('event_type');

    await page.locator(`.list .row[data-id="${odd}"]`).click();
    const oddAbout = page.locator(`.detail[data-id="${odd}"]`).getByTestId('event-type-about');
    await oddAbout.waitFor();
    expect(await oddAbout.textContent()).toContain('made_up_type is not one of the 29 documented Soveren event types');
    expect(errors).toEqual([]);
    await page.close();
  });
});
