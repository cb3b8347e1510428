// "Export" above the list: the deliveries the filter matches (all of them without one) as
// NDJSON, HAR or a curl script, downloaded straight from GET /api/export.
import { useEffect, useRef } from 'preact/hooks';

export type ExportFormatName = 'ndjson' | 'har' | 'curl';

const FORMATS: [ExportFormatName, string, string][] = [
  ['ndjson', 'NDJSON', 'exact bytes and verdicts; `soveren-inspector import` reads it back'],
  ['har', 'HAR', 'HAR 1.2, for browser dev tools and HTTP clients'],
  ['curl', 'curl script', 'a shell script that re-sends each delivery to $TARGET'],
];

export function ExportMenu(props: { q: string; disabled: boolean; exportUrl(format: ExportFormatName, q: string): string }) {
  const ref = useRef<HTMLDetailsElement>(null);
  // Close on a click elsewhere or Esc, as a menu does.
  useEffect(() => {
    const close = (e: Event) => {
      const el = ref.current;
      if (!el?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !el.contains(e.target as Node)) {
        el.open = false;
        if (e instanceof KeyboardEvent) {
          // This Esc closed the menu only: not the open delivery behind it too.
          e.stopPropagation();
          el.querySelector('summary')?.focus();
        }
      }
    };
    document.addEventListener('click', close);
    document.addEventListener('keydown', close, true);
    return () => {
      document.removeEventListener('click', close);
      document.removeEventListener('keydown', close, true);
    };
  }, []);
  if (props.disabled) {
    return <button type="button" class="btn btn--small" disabled>Export</button>;
  }
  return (
    <details class="menu" ref={ref} data-testid="export-menu">
      <summary class="btn btn--small" title={props.q ? 'Download the deliveries this filter matches' : 'Download every delivery'}>
        Export
      </summary>
      <ul class="menu__list" aria-label={props.q ? 'Export matching deliveries as' : 'Export all deliveries as'}>
        {FORMATS.map(([format, label, hint]) => (
          <li key={format}>
            <a class="menu__item" href={props.exportUrl(format, props.q)} download title={hint} onClick={() => ref.current && (ref.current.open = false)}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
