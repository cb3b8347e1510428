// WCAG contrast of elements' text against what is behind them, from the colours Chromium
// computes (translucent tints composited over their ancestors), for the e2e colour checks.
// One measuring function, run in the page for both a selector and a locator (it is
// serialised, so it uses nothing from this module).
import type { Locator, Page } from 'playwright-core';

type Ratio = { text: string; ratio: number };

function measure(elements: Element[]): Ratio[] {
  const parse = (c: string): [number, number, number, number] => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return [0, 0, 0, 0];
    const [r, g, b, a] = m[1]!.split(',').map((x) => Number(x.trim()));
    return [r!, g!, b!, a ?? 1];
  };
  const backdrop = (el: Element | null): [number, number, number] => {
    const layers: [number, number, number, number][] = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let rgb: [number, number, number] = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) rgb = [r * a + rgb[0] * (1 - a), g * a + rgb[1] * (1 - a), b * a + rgb[2] * (1 - a)];
    return rgb;
  };
  const luminance = ([r, g, b]: number[]) => {
    const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
  };
  return elements.map((el) => {
    const fg = luminance(parse(getComputedStyle(el).color).slice(0, 3));
    const bg = luminance(backdrop(el));
    return { text: `${el.className}: ${el.textContent}`, ratio: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05) };
  });
}

export function contrasts(page: Page, selector: string): Promise<Ratio[]> {
  return page.$$eval(selector, measure);
}

export function contrastRatios(locator: Locator): Promise<Ratio[]> {
  return locator.evaluateAll(measure);
}
