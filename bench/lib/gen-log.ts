/** Writes `<MB>` megabytes of the realistic mixed log to stdout: `node --import tsx bench/lib/gen-log.ts 200`. */
import { logChunks } from './log-corpus.js';

const mb = Number(process.argv[2] ?? 200);
for (const chunk of logChunks(mb * 1e6)) {
  if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
}
