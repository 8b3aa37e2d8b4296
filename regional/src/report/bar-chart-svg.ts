/** One bar of a horizontal bar chart: its label, value and the text shown beside it. */
export type Bar = { label: string; value: number; text: string; series?: 0 | 1 };

export type BarChart = {
  title: string;
  bars: readonly Bar[];
  /** The value at the right edge; the largest bar's when absent. */
  max?: number;
  /** A vertical rule at this value (a threshold, such as a burn rate of 1). */
  rule?: { value: number; label: string };
};

const COLOURS = ['#2f6db5', '#e08a1e'] as const;
const ROW = 22;
const LABEL_W = 220;
const BAR_W = 380;
const TEXT_W = 110;

/** Escapes text for HTML and SVG. */
export const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A horizontal bar chart as inline SVG (no script, no external asset). */
export const barChartSvg = (chart: BarChart): string => {
  const top = Math.max(chart.max ?? 0, chart.rule?.value ?? 0, ...chart.bars.map((b) => b.value));
  const scale = top > 0 ? BAR_W / top : 0;
  const height = Math.max(1, chart.bars.length) * ROW + 30;
  const width = LABEL_W + BAR_W + TEXT_W;
  const rows = chart.bars.map((bar, i) => {
    const y = 24 + i * ROW;
    const w = Math.max(0, bar.value * scale);
    return [
      `<text x="${LABEL_W - 6}" y="${y + 14}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${LABEL_W}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 6}" fill="${COLOURS[bar.series ?? 0]}"/>`,
      `<text x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + 14}">${escapeXml(bar.text)}</text>`,
    ].join('');
  });
  const rule = chart.rule
    ? (() => {
        const x = (LABEL_W + chart.rule.value * scale).toFixed(1);
        return `<line x1="${x}" x2="${x}" y1="20" y2="${height - 4}" stroke="#c0392b" stroke-dasharray="4 3"/><text x="${x}" y="16" fill="#c0392b" text-anchor="middle">${escapeXml(chart.rule.label)}</text>`;
      })()
    : '';
  const empty =
    chart.bars.length === 0 ? `<text x="${LABEL_W}" y="38" fill="#777">no data</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(chart.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12"><title>${escapeXml(chart.title)}</title>${rows.join('')}${rule}${empty}</svg>`;
};
