// Unicode bidirectional controls in payload text (U+202A–U+202E embeddings and overrides,
// U+2066–U+2069 isolates) reorder what follows them: "rtl \u202eevil.exe\u202c" would show
// as "rtl exe.live". The UI shows each control as a visible mark instead of obeying it
// (Unicode TR #9; the "Trojan Source" paper, CVE-2021-42574, for the attack).

const NAMES = new Map<string, string>([
  ['\u202a', 'LRE'], ['\u202b', 'RLE'], ['\u202c', 'PDF'], ['\u202d', 'LRO'], ['\u202e', 'RLO'],
  ['\u2066', 'LRI'], ['\u2067', 'RLI'], ['\u2068', 'FSI'], ['\u2069', 'PDI'],
]);
const CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;
const SPLIT = /([\u202a-\u202e\u2066-\u2069])/;

export type BidiPart = { text: string } | { control: string; code: string };

export function hasBidiControls(s: string): boolean {
  return CONTROLS.test(s);
}

/** Text runs and controls, in order; a string without controls is one run. */
export function splitBidi(s: string): BidiPart[] {
  if (!CONTROLS.test(s)) return [{ text: s }];
  return s.split(SPLIT).filter((p) => p !== '').map((p) => {
    const name = NAMES.get(p);
    return name === undefined ? { text: p } : { control: name, code: `U+${p.charCodeAt(0).toString(16).toUpperCase()}` };
  });
}

/** For attributes (title, aria-label), where no element can mark it: each control as `⟨RLO⟩`. */
export function markBidi(s: string): string {
  if (!CONTROLS.test(s)) return s;
  return splitBidi(s).map((p) => ('text' in p ? p.text : `⟨${p.control}⟩`)).join('');
}
