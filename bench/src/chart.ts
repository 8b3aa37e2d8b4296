import type { RateRow } from './summary.ts';
import { TARGET_LABELS, type TargetName } from './targets.ts';

const COLORS: Record<TargetName, string> = {
  direct: '#9e9e9e',
  floor: '#ff7f0e',
  switchback: '#1f77b4',
  edge: '#2ca02c',
  portkey: '#d62728',
};

const r1 = (v: number): string => v.toFixed(1);

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const formatMs = (ms: number): string => {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs >= 100) return ms.toFixed(0);
  if (abs >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
};

/**
 * Grouped bars of added p99 (ms, log scale) per fixed rate, one bar per target but the baseline.
 * Values at or below the axis minimum (0.1 ms, negatives included: noise) sit on the axis with
 * their value written.
 */
export const addedP99Chart = (rows: RateRow[], title: string): string => {
  const routers = [...new Set(rows.map((r) => r.target))].filter((t) => t !== 'direct');
  const rates = [...new Set(rows.map((r) => r.rate))].sort((a, b) => a - b);
  const axisMin = 0.1;
  const values = rows.filter((r) => r.target !== 'direct').map((r) => r.addedP99Ms);
  const top = 10 ** Math.ceil(Math.log10(Math.max(10, ...values.filter(Number.isFinite))));
  const width = 760;
  const height = 420;
  const m = { left: 70, right: 20, top: 50, bottom: 90 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const y = (ms: number) => {
    const v = Math.min(top, Math.max(axisMin, ms));
    return m.top + plotH - (Math.log10(v / axisMin) / Math.log10(top / axisMin)) * plotH;
  };
  const groupW = plotW / Math.max(1, rates.length);
  const barW = Math.min(48, (groupW * 0.8) / Math.max(1, routers.length));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  ];
  for (let decade = axisMin; decade <= top * 1.0001; decade *= 10) {
    const yy = r1(y(decade));
    parts.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${yy}" y2="${yy}" stroke="#e0e0e0"/>`,
      `<text x="${m.left - 8}" y="${r1(Number(yy) + 4)}" text-anchor="end">${decade >= 1 ? decade.toFixed(0) : decade.toFixed(1)}</text>`,
    );
  }
  const oneMs = r1(y(1));
  parts.push(
    `<line x1="${m.left}" x2="${width - m.right}" y1="${oneMs}" y2="${oneMs}" stroke="#1f77b4" stroke-dasharray="4 4"/>`,
    `<text x="${width - m.right}" y="${r1(Number(oneMs) - 4)}" text-anchor="end" fill="#1f77b4">switchback target: +1 ms at 1,000/s</text>`,
    `<text transform="translate(18 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">added p99 vs direct (ms, log)</text>`,
  );
  rates.forEach((rate, gi) => {
    const gx = m.left + gi * groupW + (groupW - barW * routers.length) / 2;
    routers.forEach((router, bi) => {
      const row = rows.find((r) => r.target === router && r.rate === rate);
      if (row === undefined) return;
      const x = gx + bi * barW;
      if (!Number.isFinite(row.addedP99Ms)) {
        // No successful request at this rate: nothing to draw a percentile from.
        parts.push(
          `<text x="${r1(x + barW / 2)}" y="${r1(m.top + plotH - 6)}" text-anchor="middle" font-size="10">n/a</text>`,
        );
        return;
      }
      const yy = y(row.addedP99Ms);
      const h = m.top + plotH - yy;
      parts.push(
        `<rect x="${r1(x + 2)}" y="${r1(yy)}" width="${r1(barW - 4)}" height="${r1(Math.max(1, h))}" fill="${COLORS[router]}"/>`,
        `<text x="${r1(x + barW / 2)}" y="${r1(yy - 4)}" text-anchor="middle" font-size="10">${formatMs(row.addedP99Ms)}</text>`,
      );
    });
    parts.push(
      `<text x="${r1(m.left + gi * groupW + groupW / 2)}" y="${m.top + plotH + 18}" text-anchor="middle">${rate} req/s</text>`,
    );
  });
  // Legend entries as wide as their labels (≈ 6.5 px a character at 12 px), so five fit a row.
  let lx = m.left;
  for (const router of routers) {
    const ly = height - 30;
    const text = TARGET_LABELS[router];
    parts.push(
      `<rect x="${r1(lx)}" y="${ly - 10}" width="12" height="12" fill="${COLORS[router]}"/>`,
      `<text x="${r1(lx + 18)}" y="${ly}">${escapeXml(text)}</text>`,
    );
    lx += 18 + text.length * 6.5 + 18;
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
};
