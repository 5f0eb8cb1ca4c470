/**
 * Whole-number y-axis ticks from 0 to the smallest "nice" value (1, 2 or 5 × 10ⁿ steps) that is
 * at least `max`, with at most about five steps: 14 → 0, 5, 10, 15; 3 → 0, 1, 2, 3; 0 → none
 * (the caller shows an empty state instead of a meaningless axis).
 */
export function niceTicks(max: number): number[] {
  if (!Number.isFinite(max) || max <= 0) return [];
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  return ticks;
}
