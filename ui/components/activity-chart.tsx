// Deliveries over time as stacked bars by category (inline SVG; tooltips are <title>
// text nodes). Fixed viewBox stretched horizontally; labels are HTML so they stay crisp.
// Dragging across it (a brush) sets the time range: after:/before: in the query.
import type { Histogram } from '../../server/common/protocol.ts';
import { categoryLabel, categoryTone } from '../state/categories.ts';
import { formatCount, formatShortTime } from '../state/format.ts';
import { describeBucket, layoutHistogram, rebucket } from '../state/histogram.ts';
import { useMemo, useRef, useState } from 'preact/hooks';
import { brushRange } from '../state/time-range.ts';
import { PayloadText } from './payload-text.tsx';
import { markBidi } from '../state/bidi.ts';

const WIDTH = 600;
const HEIGHT = 56;

const MAX_BARS = 120;

/** Fraction of the element's width at a pointer position, 0..1. */
function fractionAt(el: Element, clientX: number): number {
  const r = el.getBoundingClientRect();
  return r.width > 0 ? Math.min(1, Math.max(0, (clientX - r.left) / r.width)) : 0;
}

export function ActivityChart(props: { histogram: Histogram | null; onBrush?(from: number, to: number): void }) {
  const histogram = useMemo(() => (props.histogram ? rebucket(props.histogram, MAX_BARS) : null), [props.histogram]);
  const [brush, setBrush] = useState<{ a: number; b: number } | null>(null);
  const brushRef = useRef(brush);
  brushRef.current = brush;
  if (!histogram || histogram.buckets.length === 0) {
    return <div class="chart chart--empty">No activity to chart yet</div>;
  }
  const layout = layoutHistogram(histogram, WIDTH, HEIGHT, histogram.buckets.length > 120 ? 0 : 1);
  const first = histogram.buckets[0]!;
  const last = histogram.buckets[histogram.buckets.length - 1]!;
  return (
    <div class="chart">
      <div class="chart__legend">
        {layout.facets.map((f) => (
          <span class="chart__key" key={f}>
            <span class={`chart__swatch tone-${categoryTone(f)}`} />
            <PayloadText text={categoryLabel(f)} />
          </span>
        ))}
        <span class="chart__scale">
          peak {formatCount(layout.max)} / {describeBucket(histogram.bucketMs)}
        </span>
      </div>
      <div
        class={`chart__plot${props.onBrush ? ' chart__plot--brush' : ''}`}
        data-testid="chart-plot"
        title={props.onBrush ? 'Drag across the bars to show only that time range' : undefined}
        onPointerDown={(e) => {
          if (!props.onBrush || e.button !== 0) return;
          e.preventDefault();
          (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
          const f = fractionAt(e.currentTarget as Element, e.clientX);
          setBrush({ a: f, b: f });
        }}
        onPointerMove={(e) => {
          const current = brushRef.current;
          if (current) setBrush({ a: current.a, b: fractionAt(e.currentTarget as Element, e.clientX) });
        }}
        onPointerUp={(e) => {
          const current = brushRef.current;
          if (!current) return;
          setBrush(null);
          const range = brushRange(histogram.buckets.map((x) => x.start), histogram.bucketMs, current.a, fractionAt(e.currentTarget as Element, e.clientX));
          if (range) props.onBrush?.(range.from, range.to);
        }}
        onPointerCancel={() => setBrush(null)}
      >
      <svg class="chart__svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label="Deliveries over time by category">
        {layout.bars.map((bar) => (
          <g key={bar.start}>
            <title>
              {`${formatShortTime(bar.start)}: ${formatCount(bar.total)}` +
                bar.segments.map((s) => `\n${markBidi(categoryLabel(s.facet))}: ${formatCount(s.count)}`).join('')}
            </title>
            <rect class="chart__hit" x={bar.x} y={0} width={bar.width} height={HEIGHT} />
            {bar.segments.map((s) => (
              <rect key={s.facet} class={`chart__bar tone-${categoryTone(s.facet)}`} x={bar.x} y={s.y} width={bar.width} height={s.height} />
            ))}
          </g>
        ))}
      </svg>
      {brush ? (
        <div class="chart__brush" data-testid="chart-brush" style={{ left: `${Math.min(brush.a, brush.b) * 100}%`, width: `${Math.abs(brush.b - brush.a) * 100}%` }} />
      ) : null}
      </div>
      <div class="chart__axis">
        <span>{formatShortTime(first.start)}</span>
        <span>{formatShortTime(last.start + histogram.bucketMs)}</span>
      </div>
    </div>
  );
}
