import type { Store } from '../store/index.js';

export type ClaimResult =
  | { status: 'claimed' }
  /** Seen before and finished with a recorded result (an issue id, a log file id …). */
  | { status: 'done'; entityId: string }
  /** Seen before without a recorded result: still being processed, or work that produces no entity. */
  | { status: 'seen' };

/**
 * Exactly-once processing for Slack deliveries (event retries, double-clicked submits, repeated commands), keyed by
 * strings such as `event:<event_id>`, `view:<view_id>:<hash>`, `command:<team>:<user>:<trigger_id>`.
 * A claim is released when processing fails, so Slack's retry can try again.
 */
export class Deliveries {
  /** Keys being processed by this process and not yet recorded (see begin). */
  private readonly inProgress = new Set<string>();

  constructor(private readonly store: Store) {}

  /**
   * A claim that costs no write: checks the recorded deliveries and this process's in-progress set. The caller
   * records the key in the same transaction as its result (IssueService.create's `deliveryKey`), which also catches
   * the rare duplicate claimed by another process, and calls end() when done either way.
   */
  begin(key: string): ClaimResult {
    const seen = this.store.slackEvents.get(key);
    if (seen) return seen.entity_id ? { status: 'done', entityId: seen.entity_id } : { status: 'seen' };
    if (this.inProgress.has(key)) return { status: 'seen' };
    this.inProgress.add(key);
    return { status: 'claimed' };
  }

  end(key: string): void {
    this.inProgress.delete(key);
  }

  /** A durable claim (one write): for work whose result is not recorded in a transaction of its own. */
  claim(key: string, kind: string): ClaimResult {
    return this.store.transaction((): ClaimResult => {
      if (this.store.slackEvents.claim(key, kind)) return { status: 'claimed' };
      const seen = this.store.slackEvents.get(key);
      return seen?.entity_id ? { status: 'done', entityId: seen.entity_id } : { status: 'seen' };
    });
  }

  /** Records what a claimed key produced, so a retry can answer with the same result. */
  complete(key: string, entityId: string): void {
    this.store.slackEvents.setEntity(key, entityId);
  }

  release(key: string): void {
    this.store.slackEvents.release(key);
  }

  /** Runs fn once per key; a failure releases the claim and rethrows. `ran: false` when the key was seen before. */
  async once<T>(
    key: string,
    kind: string,
    fn: () => Promise<T> | T,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    const claim = this.claim(key, kind);
    if (claim.status !== 'claimed') return { ran: false };
    try {
      const value = await fn();
      return { ran: true, value };
    } catch (err) {
      this.release(key);
      throw err;
    }
  }

  /** Keys older than the cutoff are forgotten: Slack retries within minutes, not days. */
  prune(olderThan: Date): number {
    return this.store.slackEvents.pruneOlderThan(olderThan);
  }
}
