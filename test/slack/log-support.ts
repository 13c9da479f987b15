import { openIssueIn } from '../support/slack-harness.js';
/** Shared by the log tests (issue 5): a realistic log with planted values that must never leave the encrypted store. */

/** Values planted in the shared logs: none may reach Slack, the app's logs, or any file outside the encrypted DB. */
export const PLANTED = {
  email: 'jane.doe@example.com',
  email2: 'ops-oncall@acme-payments.io',
  ip: '203.0.113.77',
  ip2: '198.51.100.23',
  awsKey: 'AKIAIOSFODNN7EXAMPLE',
  slackToken: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  githubToken: 'ghp_R8n2Vq7LmZx4Tb9Kc1Wd6Hs3Jf5Ga0Pe2Yu8',
  password: 'hunter2-Sup3rSecret',
};

export const LOG = [
  `2026-03-01T10:00:01Z INFO  checkout-api request from ${PLANTED.ip} user=${PLANTED.email} status=502`,
  '2026-03-01T10:00:02Z WARN  pool exhausted after 30s, version 4.2.1',
  `2026-03-01T10:00:03Z DEBUG env AWS_ACCESS_KEY_ID=${PLANTED.awsKey}`,
  `2026-03-01T10:00:04Z ERROR slack notify failed token=${PLANTED.slackToken}`,
  `2026-03-01T10:00:05Z ERROR db login failed password=${PLANTED.password}`,
  `2026-03-01T10:00:06Z INFO  retry from ${PLANTED.ip} cc ${PLANTED.email2}`,
  `2026-03-01T10:00:07Z DEBUG git clone with ${PLANTED.githubToken} from ${PLANTED.ip2}`,
  '2026-03-01T10:00:08Z INFO  done',
  '',
].join('\n');

/** The planted values found in some text. */
export function plantedIn(text: string): string[] {
  return Object.values(PLANTED).filter((v) => text.includes(v));
}

type Harness = import('../support/slack-harness.js').SlackHarness;
type FileSpec = Parameters<Harness['fake']['addFile']>[0];

/** `/tftsr new <title>` in a channel; the issue and its card's ts (the thread). */
export async function createIssueIn(h: Harness, channel: string, title = 'Checkout 502s sev:high') {
  return openIssueIn(h, channel, title);
}

/** A person uploads a file as a reply in a thread: the fake holds it, Slack sends the file_share message. */
export async function shareInto(
  h: Harness,
  channel: string,
  ts: string,
  spec: Omit<FileSpec, 'channel' | 'thread_ts'>,
) {
  const file = h.fake.addFile({ ...spec, channel, thread_ts: ts });
  const sent = await h.driver.fileShareMessage([file], { channel, thread_ts: ts, user: 'U0PERSON1' });
  await h.idle();
  return { file, sent };
}
