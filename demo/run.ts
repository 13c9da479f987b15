/**
 * npm run demo — TFTSR working end to end with no Slack workspace: the real app (HTTP mode, encrypted store in a
 * temporary data dir) against the loopback Slack simulator, playing an incident from /tftsr new to the RCA with a
 * bundled sample log, and printing what people in the channel would see.
 */
import fs from 'node:fs';
import { playJourney, SAMPLE_PLANTED, TYPED_PLANTED } from '../test/support/journey.js';
import { renderBlocks, renderView } from '../test/support/render-text.js';
import { startHarness } from '../test/support/slack-harness.js';
import { filesUnder } from '../test/support/tmp.js';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const indent = (s: string, pad = '    ') =>
  s
    .split('\n')
    .map((l) => pad + l)
    .join('\n');

const h = await startHarness();
try {
  console.log(bold('TFTSR for Slack — demo'));
  console.log(dim(`app on ${h.baseUrl} (HTTP mode, signed requests), Slack simulator on ${h.fake.url}`));
  console.log(dim(`encrypted store in ${h.dataDir} (removed at the end)\n`));

  let n = 0;
  const result = await playJourney(h, ({ title, calls }) => {
    n += 1;
    console.log(bold(`\n━━ ${n}. ${title}`));
    for (const call of calls) {
      const body = call.body;
      switch (call.method) {
        case 'chat.postMessage':
          console.log(
            `  ${body.thread_ts ? '↳ in thread' : '# channel'}  TFTSR:\n${indent(renderBlocks(body.blocks as unknown[], String(body.text ?? '')))}`,
          );
          break;
        case 'chat.update':
          console.log(
            `  ✎ message edited:\n${indent(renderBlocks(body.blocks as unknown[], String(body.text ?? '')))}`,
          );
          break;
        case 'chat.postEphemeral':
          console.log(`  (only you) ${String(body.text ?? '')}`);
          break;
        case 'views.open':
        case 'views.update':
        case 'views.push':
          console.log(`  ▣ modal:\n${indent(renderView(body.view as Record<string, unknown>))}`);
          break;
        case 'files.completeUploadExternal':
          console.log(
            `  📎 file uploaded into the thread: ${JSON.stringify((body.files as { title?: string }[])?.map((f) => f.title))}`,
          );
          break;
        default:
          break;
      }
    }
    for (const r of h.fake.responses.splice(0)) {
      if (r.body.text) console.log(`  (only you) ${String(r.body.text).slice(0, 400)}`);
    }
  });

  const rca = h.fake.uploadedFiles().find((f) => f.name.endsWith('.md'));
  console.log(bold('\n━━ The file uploaded into the thread'));
  console.log(`  ${rca?.name ?? '(none)'}: ${rca?.content.length ?? 0} bytes of Markdown, the RCA shown above`);

  const planted = [...SAMPLE_PLANTED, TYPED_PLANTED];
  const outgoing = [h.fake.allOutgoingText(), ...h.fake.uploadedFiles().map((f) => f.content.toString())].join('\n');
  h.store.db.pragma('wal_checkpoint(TRUNCATE)');
  const onDisk = filesUnder(h.dataDir).flatMap((f) => {
    const bytes = fs.readFileSync(f);
    return planted.filter((v) => bytes.includes(Buffer.from(v)));
  });
  const leaked = planted.filter((v) => outgoing.includes(v) || h.logs.join('\n').includes(v));
  const chain = h.store.verifyAuditChain();
  console.log(bold('\n━━ What is in the encrypted store'));
  console.log(`  issue ${result.issue.id}: ${result.issue.status}, severity ${result.issue.severity}`);
  console.log(
    `  log: ${h.store.logFiles.listByIssue(result.issue.id).length} file, spans ${JSON.stringify(h.store.piiSpans.countsByType(result.logFileId))}`,
  );
  console.log(
    `  whys: ${h.store.steps.listByIssue(result.issue.id).length}, documents: ${h.store.documents.listByIssue(result.issue.id).length}`,
  );
  console.log(`  audit: ${chain.entries} entries, hash chain ${chain.ok ? 'intact' : 'BROKEN'}`);
  console.log(
    `  ${planted.length} planted secrets and PII: ${leaked.length} reached Slack or the app log, ${onDisk.length} readable on disk`,
  );
  process.exitCode = leaked.length || onDisk.length || !chain.ok ? 1 : 0;
} finally {
  await h.close();
}
