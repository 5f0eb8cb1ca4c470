import { describe, expect, it } from 'vitest';
import { niceTicks } from './ticks';

describe('niceTicks', () => {
  it.each([
    [14, [0, 5, 10, 15]],
    [3, [0, 1, 2, 3]],
    [1, [0, 1]],
    [7, [0, 2, 4, 6, 8]],
    [40, [0, 10, 20, 30, 40]],
    [168, [0, 50, 100, 150, 200]],
  ])('gives whole, evenly spaced ticks that just cover %i', (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });

  it('gives no ticks at all when there is nothing to draw', () => {
    expect(niceTicks(0)).toEqual([]);
  });
});
