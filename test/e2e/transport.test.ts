import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackHarness, startHarness } from '../support/slack-harness.js';

/** The same driver calls reach the app over signed HTTP and over Socket Mode. */
describe.each(['http', 'socket'] as const)('driver over %s', (transport) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startHarness({ transport });
  });
  afterAll(() => h.close());

  it('creates an issue from a quick-form command and posts its card', async () => {
    const sent = await h.driver.command('new Transport check sev:low', { channel_id: 'C0TRANS' });
    expect(sent.status).toBe(200);
    await h.idle();
    const [id] = h.store.slackThreads.findActiveInChannel(h.fake.teamId, 'C0TRANS');
    expect(h.store.issues.require(id!).title).toBe('Transport check');
    expect(h.fake.messagesIn('C0TRANS')).toHaveLength(1);
    if (transport === 'socket') expect(h.fake.callsTo('apps.connections.open')).toHaveLength(1);
  });
});
