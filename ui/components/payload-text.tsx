// Payload-derived text as the UI shows it everywhere: isolated (<bdi>), so right-to-left
// text in a value cannot reorder its neighbours, and with bidi controls shown as marks
// rather than obeyed (see state/bidi.ts).
import { splitBidi } from '../state/bidi.ts';

export function PayloadText({ text, class: className }: { text: string; class?: string }) {
  const parts = splitBidi(text);
  return (
    <bdi class={className}>
      {parts.length === 1 && 'text' in parts[0]! ? text : parts.map((p, i) => ('text' in p ? p.text : (
        <span key={i} class="bidi-mark" title={`${p.code} (bidi control, not applied)`}>{`⟨${p.control}⟩`}</span>
      )))}
    </bdi>
  );
}
