import { ScaledClock } from '../../../src/clock';

describe('ScaledClock', () => {
  it('advances sandbox time and fires timers that became due', () => {
    const clock = new ScaledClock({ start: Date.UTC(2026, 10, 25, 10) });
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('hour'), 3_600_000);
    clock.setTimeout(() => fired.push('day'), 86_400_000);
    const before = clock.now();
    clock.advance(2 * 3_600_000);
    expect(clock.now() - before).toBeGreaterThanOrEqual(2 * 3_600_000);
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        setTimeout(() => {
          expect(fired).toEqual(['hour']);
          clock.stop();
          resolve();
        }, 5);
      });
    });
  });

  it('re-arms timers when the scale changes so long waits pass quickly', async () => {
    const clock = new ScaledClock();
    const done = new Promise<string>((resolve) => clock.setTimeout(() => resolve('fired'), 3_600_000));
    clock.setScale(3_600_000 / 10);
    await expect(done).resolves.toBe('fired');
    expect(clock.scale).toBe(360_000);
    clock.stop();
  });

  it('refuses a scale that is not positive', () => {
    expect(() => new ScaledClock().setScale(0)).toThrow(RangeError);
  });
});
