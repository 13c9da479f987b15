import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerExportCommand } from '../../src/cli/commands/export.js';
import { runCli } from '../../src/cli/program.js';
import { openStore, shortId } from '../../src/store/index.js';
import { memoryIo } from '../support/cli.js';
import { makeTempDir, TEST_DB_KEY } from '../support/tmp.js';
import { buildBareIssue, buildRichIssue, RICH_FIELDS } from './support.js';

describe('tftsr export', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let issueId: string;
  const env = () => ({ TFTSR_DATA_DIR: tmp.dir, TFTSR_DB_KEY: TEST_DB_KEY });
  const exportCli = async (args: string[]) => {
    const io = memoryIo(env());
    const code = await runCli(['export', ...args], io, [registerExportCommand]);
    return { code, out: io.out(), err: io.err() };
  };

  beforeEach(() => {
    tmp = makeTempDir();
    const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    issueId = buildRichIssue(store, { title: 'Export for jane_doe@example.com' });
    store.close();
  });
  afterEach(() => tmp.cleanup());

  it('prints the RCA, redacted, and stores it with a doc_generate entry by user local', async () => {
    const { code, out, err } = await exportCli([issueId]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.startsWith('# Root Cause Analysis: Export for \\[Email\\]\n')).toBe(true);
    expect(out).not.toContain('jane_doe@example.com');
    expect(out).toContain('## Root Cause\n');

    const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    try {
      const doc = store.documents.findByIssue(issueId, 'rca')!;
      expect(doc.content_md).toBe(out);
      const [entry] = store.audit.list({ action: 'doc_generate', entityId: doc.id });
      expect(entry?.user_id).toBe('local');
    } finally {
      store.close();
    }
  });

  it('--postmortem with the short id and a --fields file', async () => {
    const fieldsFile = path.join(tmp.dir, 'fields.json');
    fs.writeFileSync(fieldsFile, JSON.stringify(RICH_FIELDS));
    const { code, out } = await exportCli([shortId(issueId), '--postmortem', '--fields', fieldsFile]);
    expect(code).toBe(0);
    expect(out.startsWith('# Postmortem: Export for \\[Email\\]\n')).toBe(true);
    expect(out).toContain(
      '| high | Separate connection pool for batch jobs | Payments team | 2026-03-16 | in progress |',
    );
  });

  it('an unknown id is one line on stderr and exit code 1, and nothing is stored', async () => {
    const { code, out, err } = await exportCli(['deadbeef']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe('tftsr: no issue with id "deadbeef"\n');
    const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    try {
      expect(store.documents.listRecent()).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('an ambiguous fragment names the candidates instead of guessing', async () => {
    const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    const other = buildBareIssue(store);
    store.close();
    // A UUID v7 starts with its millisecond timestamp: ids made in the same ~50 days share the first 4 digits.
    const fragment = issueId.slice(0, 4);
    expect(other.startsWith(fragment)).toBe(true);
    const { code, err } = await exportCli([fragment]);
    expect(code).toBe(1);
    expect(err).toMatch(/^tftsr: issue id "[0-9a-f]{4}" is ambiguous: [0-9a-f]{8}, [0-9a-f]{8}; give more digits\n$/);
  });

  it('an invalid --fields file is reported by field, before the store is touched', async () => {
    const fieldsFile = path.join(tmp.dir, 'bad.json');
    fs.writeFileSync(fieldsFile, JSON.stringify({ action_items: [{ action: 'x', due: 'soon' }] }));
    const { code, err } = await exportCli([issueId, '--fields', fieldsFile]);
    expect(code).toBe(1);
    expect(err).toBe(`tftsr: --fields file ${fieldsFile}: action_items.0.due: due is a date (YYYY-MM-DD)\n`);
    fs.writeFileSync(fieldsFile, '{not json');
    expect((await exportCli([issueId, '--fields', fieldsFile])).err).toBe(
      `tftsr: --fields file ${fieldsFile} is not valid JSON\n`,
    );
  });
});
