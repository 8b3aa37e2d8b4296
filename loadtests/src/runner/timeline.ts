import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export type Series = { name: string; points: Array<{ t: number; p95: number }> };

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Per-second p95 of chosen metrics from k6's `--out json` stream, one series per metric+tier. */
export const latencyTimeline = async (jsonPath: string, metrics: string[]): Promise<Series[]> => {
  const buckets = new Map<string, Map<number, number[]>>();
  let start = Number.POSITIVE_INFINITY;
  const lines = createInterface({ input: createReadStream(jsonPath) });
  for await (const line of lines) {
    if (!line.includes('"Point"')) continue;
    const point = JSON.parse(line) as {
      metric: string;
      data: { time: string; value: number; tags?: Record<string, string> };
    };
    if (!metrics.includes(point.metric)) continue;
    const t = Math.floor(Date.parse(point.data.time) / 1000);
    start = Math.min(start, t);
    const key = `${point.metric} ${point.data.tags?.tier ?? ''}`.trim();
    const series = buckets.get(key) ?? new Map<number, number[]>();
    buckets.set(key, series);
    const values = series.get(t) ?? [];
    values.push(point.data.value);
    series.set(t, values);
  }
  return [...buckets.entries()].map(([name, series]) => ({
    name,
    points: [...series.entries()]
      .sort(([a], [b]) => a - b)
      .map(([t, values]) => ({
        t: t - start,
        p95: percentile(
          values.sort((x, y) => x - y),
          95,
        ),
      })),
  }));
};

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** A plain SVG line chart of the series (seconds on x, milliseconds on y). */
export const svgChart = (
  title: string,
  series: Series[],
  marks: Array<{ t: number; label: string }>,
) => {
  const width = 900;
  const height = 360;
  const pad = { left: 60, right: 180, top: 30, bottom: 40 };
  const all = series.flatMap((s) => s.points);
  const maxT = Math.max(1, ...all.map((p) => p.t));
  const maxY = Math.max(1, ...all.map((p) => p.p95)) * 1.1;
  const x = (t: number) => pad.left + (t / maxT) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / maxY) * (height - pad.top - pad.bottom);
  const lines = series.map((s, i) => {
    const color = COLORS[i % COLORS.length];
    const path = s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.p95).toFixed(1)}`).join(' ');
    const legendY = pad.top + 18 * i;
    return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${path}"/>
<text x="${width - pad.right + 10}" y="${legendY + 4}" font-size="12" fill="${color}">${s.name} p95</text>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = maxY * f;
    return `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>
<text x="${pad.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v.toFixed(0)}</text>`;
  });
  const markLines = marks.map(
    (
      m,
    ) => `<line x1="${x(m.t)}" x2="${x(m.t)}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#999" stroke-dasharray="4 3"/>
<text x="${x(m.t) + 3}" y="${pad.top + 10}" font-size="11" fill="#555">${m.label}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad.left}" y="18" font-size="14">${title}</text>
${ticks.join('\n')}
${markLines.join('\n')}
${lines.join('\n')}
<text x="${(width - pad.right + pad.left) / 2}" y="${height - 8}" font-size="12" text-anchor="middle">seconds into the run</text>
<text x="14" y="${height / 2}" font-size="12" transform="rotate(-90 14 ${height / 2})" text-anchor="middle">ms</text>
</svg>
`;
};
