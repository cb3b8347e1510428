// Deliveries over time as stacked bars by category (inline SVG; tooltips are <title>
// text nodes). Fixed viewBox stretched horizontally; labels are HTML so they stay crisp.
import type { Histogram } from '../../server/shared/protocol.ts';
import { categoryLabel, categoryTone } from '../state/categories.ts';
import { formatCount, formatShortTime } from '../state/format.ts';
import { describeBucket, layoutHistogram, rebucket } from '../state/histogram.ts';
import { useMemo } from 'preact/hooks';

const WIDTH = 600;
const HEIGHT = 56;

const MAX_BARS = 120;

export function ActivityChart(props: { histogram: Histogram | null }) {
  const histogram = useMemo(() => (props.histogram ? rebucket(props.histogram, MAX_BARS) : null), [props.histogram]);
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
            {categoryLabel(f)}
          </span>
        ))}
        <span class="chart__scale">
          peak {formatCount(layout.max)} / {describeBucket(histogram.bucketMs)}
        </span>
      </div>
      <svg class="chart__svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label="Deliveries over time by category">
        {layout.bars.map((bar) => (
          <g key={bar.start}>
            <title>
              {`${formatShortTime(new Date(bar.start).toISOString())}: ${formatCount(bar.total)}` +
                bar.segments.map((s) => `\n${categoryLabel(s.facet)}: ${formatCount(s.count)}`).join('')}
            </title>
            <rect class="chart__hit" x={bar.x} y={0} width={bar.width} height={HEIGHT} />
            {bar.segments.map((s) => (
              <rect key={s.facet} class={`chart__bar tone-${categoryTone(s.facet)}`} x={bar.x} y={s.y} width={bar.width} height={s.height} />
            ))}
          </g>
        ))}
      </svg>
      <div class="chart__axis">
        <span>{formatShortTime(new Date(first.start).toISOString())}</span>
        <span>{formatShortTime(new Date(last.start + histogram.bucketMs).toISOString())}</span>
      </div>
    </div>
  );
}
