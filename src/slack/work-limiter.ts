/**
 * Bounds how many acknowledged requests do their slow part (Web API calls, store writes, rendering) at once.
 * Everything runs on one event loop: without a bound, a burst of commands interleaves dozens of flows and the
 * next request's ack waits behind all of them (Slack gives the ack 3 s). Waiting flows cost nothing but memory.
 */
export class WorkLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be a positive integer');
  }

  get pending(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // The permit passes straight to the next waiter; only when nobody waits does the count drop.
      if (next) next();
      else this.active--;
    }
  }
}
