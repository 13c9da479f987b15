import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SlackHarness, startHarness } from '../support/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

it('stop() refuses new requests but finishes the work already acknowledged', async () => {
  h.fake.delay('chat.postMessage', 300);
  const res = await h.driver.command('new In flight at shutdown sev:high', { channel_id: 'C0SHUT' });
  expect(res.status).toBe(200); // acked; the card is still being posted
  expect(h.store.issues.count()).toBe(0);

  await h.tftsr.stop();
  // The in-flight create completed before stop() resolved, so closing the store now loses nothing.
  const [id] = h.store.slackThreads.findActiveInChannel(h.driver.teamId, 'C0SHUT');
  expect(h.store.issues.require(id!).title).toBe('In flight at shutdown');
  expect(h.fake.messagesIn('C0SHUT')).toHaveLength(1);

  await expect(h.driver.command('list')).rejects.toThrow();
});
