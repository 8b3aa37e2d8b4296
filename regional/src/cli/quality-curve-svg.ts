import type { CurvePoint } from '../replay/quality-curve.ts';

/** What the quality/cost plot shows; shares and recalls are 0 to 1. */
export type QualityCurvePlot = {
  title: string;
  subtitle: string;
  /** The threshold sweep, in any order (drawn by regional share). */
  points: readonly CurvePoint[];
  /** The threshold calibrate picked, marked and labelled; absent when none reached the goal. */
  chosen: CurvePoint | undefined;
  auc: number;
};

const WIDTH = 860;
const HEIGHT = 600;
const PLOT = { left: 84, right: WIDTH - 32, top: 92, bottom: HEIGHT - 72 };
const FONT = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif";
const COLOURS = {
  curve: '#2563eb',
  reach: '#93c5fd',
  random: '#9ca3af',
  grid: '#e5e7eb',
  frame: '#6b7280',
  text: '#111827',
  muted: '#4b5563',
  chosen: '#dc2626',
};
/** Average glyph width over font size for the fonts above, to size boxes without a renderer. */
const GLYPH = 0.6;

type Box = { x: number; y: number; width: number; height: number };
type Pixel = { x: number; y: number };

const px = (share: number) => PLOT.left + share * (PLOT.right - PLOT.left);
const py = (share: number) => PLOT.bottom - share * (PLOT.bottom - PLOT.top);
const at = (p: CurvePoint): Pixel => ({ x: px(p.regionalShare), y: py(p.hardRecall) });
const num = (n: number) => String(Math.round(n * 10) / 10);
const pct = (share: number) => `${Math.round(share * 100)} %`;

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );

/** Keeps the start and end of a text too wide for `width` pixels at `size`, joined by "…". */
const elide = (text: string, width: number, size: number) => {
  const max = Math.floor(width / (size * GLYPH));
  if (text.length <= max) return text;
  const keep = max - 1;
  return `${text.slice(0, Math.ceil(keep / 2))}…${text.slice(text.length - Math.floor(keep / 2))}`;
};

const text = (
  x: number,
  y: number,
  content: string,
  attrs: Record<string, string | number> = {},
): string => {
  const rest = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${v}"`)
    .join('');
  return `<text x="${num(x)}" y="${num(y)}"${rest}>${escapeXml(content)}</text>`;
};

const polyline = (points: readonly Pixel[], attrs: string) =>
  `<polyline points="${points.map((p) => `${num(p.x)},${num(p.y)}`).join(' ')}" fill="none" ${attrs}/>`;

/** The label of the chosen point, as `calibrate` also prints it. */
export const chosenLabel = (p: CurvePoint): string =>
  `threshold ${p.threshold} · ${pct(p.regionalShare)} regional · ${pct(p.hardRecall)} hard recall`;

const inside = (p: Pixel, b: Box, pad: number) =>
  p.x >= b.x - pad && p.x <= b.x + b.width + pad && p.y >= b.y - pad && p.y <= b.y + b.height + pad;

/** Whether any of the lines comes within `pad` pixels of the box (lines sampled every 3 px). */
const crosses = (lines: readonly (readonly Pixel[])[], box: Box, pad = 4): boolean =>
  lines.some((line) =>
    line.some((b, i) => {
      const a = line[i - 1];
      if (a === undefined) return inside(b, box, pad);
      const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 3));
      for (let s = 0; s <= steps; s++) {
        const t = s / steps;
        if (inside({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }, box, pad)) return true;
      }
      return false;
    }),
  );

const fits = (b: Box) =>
  b.x >= PLOT.left + 4 &&
  b.x + b.width <= PLOT.right - 4 &&
  b.y >= PLOT.top + 4 &&
  b.y + b.height <= PLOT.bottom - 4;

const boxCorners = (b: Box): Pixel[] => [
  { x: b.x, y: b.y },
  { x: b.x + b.width, y: b.y },
  { x: b.x + b.width, y: b.y + b.height },
  { x: b.x, y: b.y + b.height },
  { x: b.x, y: b.y },
];

/** The nearest point of the box's edge to `p`, where a leader line from the dot ends. */
const nearestOnBox = (p: Pixel, b: Box): Pixel => ({
  x: Math.min(Math.max(p.x, b.x), b.x + b.width),
  y: Math.min(Math.max(p.y, b.y), b.y + b.height),
});

/**
 * Where the chosen point's label goes: near the dot, inside the plot, never across the curve or
 * the legend if any place allows, preferably off the reference lines; nearest wins among equals.
 */
const labelBox = (
  dot: Pixel,
  size: { width: number; height: number },
  avoid: { curve: Pixel[]; legend: Box; references: Pixel[][] },
): Box => {
  const { width, height } = size;
  const cost = (b: Box) =>
    (crosses([avoid.curve], b) ? 1_000 : 0) +
    (crosses([boxCorners(avoid.legend)], b, 6) || inside(dot, b, 6) ? 500 : 0) +
    avoid.references.filter((line) => crosses([line], b)).length * 10 +
    Math.hypot(nearestOnBox(dot, b).x - dot.x, nearestOnBox(dot, b).y - dot.y) / 100;
  let best: { box: Box; cost: number } | undefined;
  for (const gap of [12, 30, 54, 84, 120]) {
    for (const y of [dot.y + gap, dot.y - gap - height]) {
      for (let x = dot.x + 12; x >= dot.x - 12 - width; x -= 16) {
        const box = { x, y, width, height };
        if (!fits(box)) continue;
        const c = cost(box);
        if (best === undefined || c < best.cost) best = { box, cost: c };
      }
    }
  }
  if (best !== undefined) return best.box;
  // A label wider than the plot: start it at the plot's left edge, just below the dot.
  return { x: PLOT.left + 4, y: Math.min(dot.y + 12, PLOT.bottom - 4 - height), width, height };
};

const axes = (): string[] => {
  const out: string[] = [];
  for (let v = 0; v <= 100; v += 10) {
    const share = v / 100;
    const major = v % 20 === 0;
    const stroke = `stroke="${COLOURS.grid}" stroke-width="${major ? 1 : 0.5}"`;
    out.push(
      `<line x1="${num(px(share))}" y1="${PLOT.top}" x2="${num(px(share))}" y2="${PLOT.bottom}" ${stroke}/>`,
      `<line x1="${PLOT.left}" y1="${num(py(share))}" x2="${PLOT.right}" y2="${num(py(share))}" ${stroke}/>`,
    );
    if (!major) continue;
    out.push(
      `<line x1="${num(px(share))}" y1="${PLOT.bottom}" x2="${num(px(share))}" y2="${PLOT.bottom + 5}" stroke="${COLOURS.frame}"/>`,
      `<line x1="${PLOT.left - 5}" y1="${num(py(share))}" x2="${PLOT.left}" y2="${num(py(share))}" stroke="${COLOURS.frame}"/>`,
      text(px(share), PLOT.bottom + 20, String(v), { 'text-anchor': 'middle' }),
      text(PLOT.left - 9, py(share) + 4, String(v), { 'text-anchor': 'end' }),
    );
  }
  out.push(
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="${COLOURS.frame}"/>`,
    text((PLOT.left + PLOT.right) / 2, PLOT.bottom + 48, 'requests sent regional (%)', {
      'text-anchor': 'middle',
      'font-size': 14,
    }),
    text(0, 0, 'hard prompts sent regional: recall (%)', {
      'text-anchor': 'middle',
      'font-size': 14,
      transform: `translate(28 ${num((PLOT.top + PLOT.bottom) / 2)}) rotate(-90)`,
    }),
  );
  return out;
};

const legend = (box: Box, sweep: number, auc: number): string[] => {
  const rows: [string, string][] = [
    [`stroke="${COLOURS.curve}" stroke-width="2.5"`, `threshold sweep (${sweep} thresholds)`],
    [
      `stroke="${COLOURS.reach}" stroke-width="2" stroke-dasharray="2 3"`,
      'ends no threshold reaches (closing the area)',
    ],
    [`stroke="${COLOURS.random}" stroke-width="1.5" stroke-dasharray="6 4"`, 'random routing'],
  ];
  const out = [
    `<rect x="${num(box.x)}" y="${num(box.y)}" width="${box.width}" height="${box.height}" rx="4" fill="white" fill-opacity="0.92" stroke="${COLOURS.grid}"/>`,
  ];
  rows.forEach(([stroke, label], i) => {
    const y = box.y + 20 + i * 20;
    out.push(
      `<line x1="${num(box.x + 12)}" y1="${num(y - 4)}" x2="${num(box.x + 40)}" y2="${num(y - 4)}" ${stroke}/>`,
      text(box.x + 48, y, label),
    );
  });
  out.push(
    text(
      box.x + 12,
      box.y + 20 + rows.length * 20 + 2,
      `area under the curve ${auc.toFixed(3)} (random 0.500)`,
      {
        'font-weight': 600,
      },
    ),
  );
  return out;
};

/** The quality/cost curve as a standalone SVG document: hard recall against regional share. */
export const qualityCurveSvg = (plot: QualityCurvePlot): string => {
  const curve = [...plot.points]
    .sort((a, b) => a.regionalShare - b.regionalShare || a.hardRecall - b.hardRecall)
    .map(at);
  const first = curve[0];
  const last = curve.at(-1);
  const reach =
    first === undefined || last === undefined
      ? []
      : [
          [{ x: px(0), y: py(0) }, first],
          [last, { x: px(1), y: py(1) }],
        ];
  const diagonal = [
    { x: px(0), y: py(0) },
    { x: px(1), y: py(1) },
  ];
  const legendBox: Box = { x: PLOT.right - 332, y: PLOT.bottom - 98, width: 320, height: 86 };

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}" font-size="13" fill="${COLOURS.text}">`,
    `<title>${escapeXml(plot.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    text(PLOT.left, 36, elide(plot.title, WIDTH - PLOT.left - 16, 17), {
      'font-size': 17,
      'font-weight': 600,
    }),
    text(PLOT.left, 62, elide(plot.subtitle, WIDTH - PLOT.left - 16, 13), { fill: COLOURS.muted }),
    ...axes(),
    polyline(diagonal, `stroke="${COLOURS.random}" stroke-width="1.5" stroke-dasharray="6 4"`),
    ...reach.map((line) =>
      polyline(line, `stroke="${COLOURS.reach}" stroke-width="2" stroke-dasharray="2 3"`),
    ),
    polyline(
      curve,
      `class="curve" stroke="${COLOURS.curve}" stroke-width="2.5" stroke-linejoin="round"`,
    ),
    ...legend(legendBox, plot.points.length, plot.auc),
  ];

  if (plot.chosen !== undefined) {
    const dot = at(plot.chosen);
    const label = chosenLabel(plot.chosen);
    const size = 13;
    const box = labelBox(
      dot,
      { width: Math.ceil(label.length * size * GLYPH) + 16, height: size + 12 },
      { curve, legend: legendBox, references: [diagonal, ...reach] },
    );
    const end = nearestOnBox(dot, box);
    if (Math.hypot(end.x - dot.x, end.y - dot.y) > 14) {
      parts.push(
        `<line x1="${num(dot.x)}" y1="${num(dot.y)}" x2="${num(end.x)}" y2="${num(end.y)}" stroke="${COLOURS.chosen}" stroke-width="1"/>`,
      );
    }
    parts.push(
      `<rect x="${num(box.x)}" y="${num(box.y)}" width="${box.width}" height="${box.height}" rx="4" fill="white" stroke="${COLOURS.chosen}"/>`,
      text(box.x + 8, box.y + box.height / 2 + size * 0.36, label, {
        class: 'chosen',
        'font-size': size,
        fill: COLOURS.chosen,
      }),
      `<circle cx="${num(dot.x)}" cy="${num(dot.y)}" r="5.5" fill="${COLOURS.chosen}" stroke="white" stroke-width="1.5"/>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
};
