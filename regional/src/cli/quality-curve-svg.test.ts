import { describe, expect, it } from 'vitest';
import type { CurvePoint } from '../replay/quality-curve.ts';
import { chosenLabel, qualityCurveSvg } from './quality-curve-svg.ts';

const curve: CurvePoint[] = [
  { threshold: 1, regionalShare: 0.2, hardRecall: 0.5 },
  { threshold: 0.5, regionalShare: 0.4, hardRecall: 0.9 },
  { threshold: 0, regionalShare: 0.95, hardRecall: 1 },
];

const plot = (chosen: CurvePoint | undefined, title = 'traffic.jsonl') =>
  qualityCurveSvg({ title, subtitle: '3 labelled records', points: curve, chosen, auc: 0.8125 });

describe('quality curve SVG', () => {
  it('escapes the traffic file name in the title', () => {
    const svg = plot(undefined, 'a&b<c>.jsonl');
    expect(svg).toContain('<title>a&amp;b&lt;c&gt;.jsonl</title>');
    expect(svg).not.toContain('a&b<c>');
  });

  it('draws the curve by regional share, and no dot when no threshold was picked', () => {
    const svg = plot(undefined);
    expect(svg).toMatch(/<polyline points="[^"]+" fill="none" class="curve"/);
    const points = /<polyline points="([^"]*)"[^>]*class="curve"/.exec(svg)?.[1]?.split(' ');
    const xs = points?.map((xy) => Number(xy.split(',')[0]));
    expect(xs).toEqual([...(xs ?? [])].sort((a, b) => a - b));
    expect(svg).not.toContain('<circle');
    expect(svg).toContain('area under the curve 0.813 (random 0.500)');
  });

  it('labels the picked threshold with its shares, rounded to whole percents', () => {
    const chosen = { threshold: 0.43215, regionalShare: 0.3849, hardRecall: 0.9051 };
    expect(chosenLabel(chosen)).toBe('threshold 0.43215 · 38 % regional · 91 % hard recall');
    expect(plot(chosen)).toContain('>threshold 0.43215 · 38 % regional · 91 % hard recall</text>');
  });

  it.each([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
    [0.5, 0.5],
  ])('keeps the label inside the picture for a pick at (%s, %s)', (regionalShare, hardRecall) => {
    const svg = plot({ threshold: 0.5, regionalShare, hardRecall });
    const box =
      /<rect x="([\d.]+)" y="([\d.]+)" width="(\d+)" height="(\d+)"[^>]*stroke="#dc2626"/.exec(svg);
    const [x, y, width, height] = (box?.slice(1) ?? []).map(Number);
    expect(box).not.toBeNull();
    expect(x).toBeGreaterThanOrEqual(0);
    expect(y).toBeGreaterThanOrEqual(0);
    expect((x ?? 0) + (width ?? 0)).toBeLessThanOrEqual(860);
    expect((y ?? 0) + (height ?? 0)).toBeLessThanOrEqual(600);
  });
});
