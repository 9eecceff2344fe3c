/**
 * Process lifecycle for the composition roots: what a command started is registered on a
 * Teardown as it starts, so a failure half-way through the start closes the listeners, timers
 * and devices already running (in reverse order) before the error reaches the user.
 */
export class Teardown {
  private readonly steps: { what: string; close: () => unknown }[] = [];

  /** Registers `close` for something that has just been started; returns `value` for chaining. */
  add<T>(what: string, close: () => unknown, value?: T): T {
    this.steps.push({ what, close });
    return value as T;
  }

  /** Closes everything registered, newest first; a close that throws does not stop the others. */
  async run(onError: (what: string, e: Error) => void = () => {}): Promise<void> {
    for (let s = this.steps.pop(); s; s = this.steps.pop()) {
      try { await s.close(); } catch (e) { onError(s.what, e as Error); }
    }
  }
}

/** Runs `start`; when it throws, runs `teardown` first, then rethrows. */
export async function startOrTearDown<T>(teardown: Teardown, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (e) {
    await teardown.run();
    throw e;
  }
}

/** Resolves on SIGINT or SIGTERM (or when `stop` passed to `also` is called); removes its handlers. */
export function untilSignal(also?: (stop: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
    process.on('SIGINT', stop); process.on('SIGTERM', stop);
    also?.(stop);
  });
}
