import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Issue } from '../../src/store/index.js';
import type { RecordedCall } from './fake-slack.js';
import type { SlackHarness } from './slack-harness.js';

/**
 * The whole incident journey, played as people would in Slack: `/tftsr new` → card → a log with planted PII and
 * secrets uploaded into the thread → review redactions → five whys → RCA posted and uploaded → status resolved.
 * The e2e test (over HTTP and over Socket Mode) and `npm run demo` both play it; `onStep` sees each step's calls.
 */

export const SAMPLE_LOG_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../demo/sample-checkout.log',
);

/** Values planted in the sample log: none may leave the encrypted store. */
export const SAMPLE_PLANTED = [
  'maria.gonzalez@example.com',
  'li.wei@example.org',
  'sam.taylor@example.net',
  '203.0.113.45',
  '198.51.100.23',
  '192.0.2.77',
  '4111 1111 1111 1111',
  'Tr0ub4dor-and-3',
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  '+1 415 555 0132',
];

/** Planted in what people type (a why's answer): stored as typed, never shown back unredacted. */
export const TYPED_PLANTED = 'oncall.lead@example.com';

export const JOURNEY_CHANNEL = 'C0INCIDENT';
export const RESPONDER = { id: 'U0MARIA', name: 'maria' };
export const REVIEWER = { id: 'U0RAJ', name: 'raj' };

export const WHY_ANSWERS = [
  'Checkout requests timed out waiting for a database connection',
  'The connection pool was exhausted: all 20 connections were in use',
  'The nightly report export opened 25 connections to the primary during peak hours',
  `The export job was pointed at the primary instead of the read replica (changed by ${TYPED_PLANTED})`,
  'The job configuration has no review and no environment check for its database target',
];

export interface JourneyStep {
  title: string;
  /** The Web API calls the app made during the step. */
  calls: RecordedCall[];
}

export interface JourneyResult {
  issue: Issue;
  threadTs: string;
  logFileId: string;
}

type View = Record<string, unknown> & { id: string; blocks?: unknown[] };

export async function playJourney(
  h: SlackHarness,
  onStep: (step: JourneyStep) => void | Promise<void> = () => undefined,
): Promise<JourneyResult> {
  const { fake, driver, store } = h;
  let mark = fake.calls.length;
  const step = async (title: string) => {
    await h.idle();
    const calls = fake.calls.slice(mark);
    mark = fake.calls.length;
    await onStep({ title, calls });
  };
  const lastCall = (method: string) => {
    const call = fake.callsTo(method).at(-1);
    if (!call?.response?.ok) throw new Error(`${method} did not succeed: ${JSON.stringify(call?.response)}`);
    return call;
  };
  const currentView = (id: string) => {
    const view = fake.views.get(id);
    if (!view) throw new Error(`no view ${id}`);
    return view as View;
  };
  const submitAndFollow = async (
    view: View,
    answers: Record<string, string | string[] | boolean>,
    user = RESPONDER,
  ) => {
    const res = await driver.submitFilled(view, answers, user);
    await h.idle();
    if (res.status !== 200) throw new Error(`view submission answered ${res.status}`);
    const action = res.json?.response_action;
    if (action === 'errors') throw new Error(`view submission refused: ${JSON.stringify(res.json?.errors)}`);
    // response_action: update replaces the view in place; Slack keeps its id.
    return action === 'update' ? ({ ...(res.json?.view as object), id: view.id } as View) : undefined;
  };
  const cardOf = (ts: string) => {
    const card = fake.message(JOURNEY_CHANNEL, ts);
    if (!card) throw new Error('the issue card is gone');
    return card;
  };

  fake.addChannel({ id: JOURNEY_CHANNEL, name: 'inc-checkout-502s' });

  // 1. Open an issue.
  await driver.command('new Checkout returns 502 for EU customers sev:critical', {
    channel_id: JOURNEY_CHANNEL,
    user_id: RESPONDER.id,
  });
  await step('/tftsr new Checkout returns 502 for EU customers sev:critical');
  const [issueId] = store.slackThreads.findActiveInChannel(driver.teamId, JOURNEY_CHANNEL);
  if (!issueId) throw new Error('no issue was created');
  const threadTs = store.slackThreads.findByIssue(issueId)!.thread_ts!;

  // 2. Upload a log into the thread.
  const file = fake.addFile({
    name: 'checkout-api.log',
    content: fs.readFileSync(SAMPLE_LOG_PATH),
    channel: JOURNEY_CHANNEL,
    thread_ts: threadTs,
    user: RESPONDER.id,
  });
  await driver.fileShareMessage([file], { channel: JOURNEY_CHANNEL, thread_ts: threadTs, user: RESPONDER.id });
  await driver.fileShared(file, { channel: JOURNEY_CHANNEL, user: RESPONDER.id });
  await step('upload checkout-api.log into the thread');
  const [log] = store.logFiles.listByIssue(issueId);
  if (!log) throw new Error('the log was not attached');

  // 3. Review the redactions: host names are internal, not secret — show them.
  const summary = fake
    .messagesIn(JOURNEY_CHANNEL, threadTs)
    .find((m) => JSON.stringify(m.blocks ?? []).includes('tftsr.log.review'));
  if (!summary) throw new Error('no log summary in the thread');
  await driver.clickButton(
    { channel: JOURNEY_CHANNEL, ts: summary.ts, blocks: summary.blocks },
    'tftsr.log.review',
    REVIEWER,
  );
  await h.idle();
  const reviewView = currentView(
    String(lastCall('views.open').response!.view && (lastCall('views.open').response!.view as View).id),
  );
  await submitAndFollow(reviewView, { 'False positives: Hostname': ['All Hostname (2)'] }, REVIEWER);
  await step('Review redactions → mark Hostname as false positives → Apply');

  // 4. Five whys from the card.
  await driver.clickButton(cardOf(threadTs), 'tftsr.whys.start', RESPONDER);
  await h.idle();
  let whyView: View | undefined = lastCall('views.open').response!.view as View;
  await step('Start 5 Whys');
  for (const [i, answer] of WHY_ANSWERS.entries()) {
    if (!whyView) throw new Error(`no view for why ${i + 1}`);
    whyView = await submitAndFollow(whyView, {
      Answer: answer,
      ...(i === 0
        ? { Evidence: 'See the attached log: pool at 20/20 and wait queue 41', 'Cite attached logs': [log.id] }
        : {}),
    });
    await step(`Why ${i + 1} of 5 → submit`);
  }

  // 5. The RCA, posted back to the thread.
  await driver.clickButton(cardOf(threadTs), 'tftsr.doc.rca', RESPONDER);
  await h.idle();
  const rcaView = lastCall('views.open').response!.view as View;
  await submitAndFollow(rcaView, {
    'Corrective actions — immediate': 'Moved the export job to the read replica',
    'Corrective actions — long-term': 'Config review for job database targets\nPool saturation alert at 80 %',
    'Lessons learned': 'Batch jobs must never share the checkout pool',
  });
  await step('Generate RCA → fill in corrective actions and lessons → Generate');

  // 6. Resolved.
  await driver.command('status resolved', { channel_id: JOURNEY_CHANNEL, user_id: RESPONDER.id });
  await step('/tftsr status resolved');

  return { issue: store.issues.require(issueId), threadTs, logFileId: log.id };
}
