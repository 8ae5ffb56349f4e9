import { PeriodicTask } from './periodic-task';

const later = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('a periodic task', () => {
  it('shares a pass in progress with every tick during it, and runs again afterwards', async () => {
    let passes = 0;
    let release!: () => void;
    const task = new PeriodicTask({ name: 't', intervalMs: 60_000, runAtStart: false }, async () => {
      passes++;
      await new Promise<void>((resolve) => (release = resolve));
    });
    const first = task.tick();
    const second = task.tick();
    await later();
    expect(passes).toBe(1);
    release();
    await Promise.all([first, second]);
    const third = task.tick();
    await later();
    release();
    await third;
    expect(passes).toBe(2);
  });

  it('logs a failed pass by name and never rejects', async () => {
    const log: string[] = [];
    const task = new PeriodicTask({ name: 'closing scheduler', intervalMs: 60_000, log: (m) => log.push(m) }, async () => {
      throw new Error('connection refused');
    });
    await expect(task.tick()).resolves.toBeUndefined();
    expect(log).toEqual(['closing scheduler: connection refused']);
  });

  it('passes at start and every interval until stopped, and stop waits for the pass in progress', async () => {
    jest.useFakeTimers();
    try {
      let passes = 0;
      const task = new PeriodicTask({ name: 't', intervalMs: 1000 }, async () => {
        passes++;
      });
      task.start();
      task.start(); // a second start changes nothing
      await Promise.resolve();
      expect(passes).toBe(1);
      await jest.advanceTimersByTimeAsync(3000);
      expect(passes).toBe(4);
      await task.stop();
      await jest.advanceTimersByTimeAsync(3000);
      expect(passes).toBe(4);
    } finally {
      jest.useRealTimers();
    }
  });
});
