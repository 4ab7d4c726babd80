import { describe, expect, it } from 'vitest';
import { WriteBatch } from '../../electron/core/assignments/batch';

describe('batched database writes', () => {
  it('write when full, after a delay, or on flush, in order', async () => {
    const writes: number[][] = [];
    const batch = new WriteBatch<number>((items) => writes.push(items), 3, 20);
    for (const n of [1, 2, 3, 4]) batch.add(n);
    expect(writes).toEqual([[1, 2, 3]]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(writes).toEqual([[1, 2, 3], [4]]);
    batch.add(5);
    batch.flush();
    expect(writes).toEqual([[1, 2, 3], [4], [5]]);
  });

  it('hand a failure on the timer to the next caller instead of crashing the app', async () => {
    const batch = new WriteBatch<number>(() => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    }, 10, 5);
    batch.add(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(() => batch.add(2)).toThrow('database or disk is full');
  });
});
