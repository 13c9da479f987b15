import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { Redact } from '../../src/docs/index.js';
import { createRedactor } from '../../src/redact/index.js';
import { generateDocument } from '../../src/services/documents.js';
import { NotFoundError, type Store, sha256Hex } from '../../src/store/index.js';
import { useTempStore } from '../support/tmp.js';
import { at, buildRichIssue, RICH_FIELDS } from './support.js';

const redactor = createRedactor();
const redact: Redact = (text) => redactor.redactText(text).text;

describe('generateDocument', () => {
  let store: Store;
  useTempStore(
    (s) => {
      store = s;
    },
    { perTest: true },
  );

  const docAudit = (documentId: string) =>
    store.audit.list({ action: 'doc_generate', entityType: 'document', entityId: documentId });

  it('stores the document and audits it with hash and length, not content', () => {
    const issueId = buildRichIssue(store);
    const now = at('14:00');
    const result = generateDocument(store, { issueId, docType: 'rca', userId: 'U0AUTHOR', redact, now });

    expect(result.created).toBe(true);
    expect(result.markdown.startsWith('# Root Cause Analysis: Checkout API returns 502')).toBe(true);
    expect(store.documents.get(result.document.id)).toEqual({
      id: result.document.id,
      issue_id: issueId,
      doc_type: 'rca',
      title: 'Root Cause Analysis: Checkout API returns 502 for 30% of requests',
      content_md: result.markdown,
      created_at: now.getTime(),
      updated_at: now.getTime(),
    });
    const [entry, ...rest] = docAudit(result.document.id);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ user_id: 'U0AUTHOR', timestamp: '2026-03-02 14:00:00' });
    expect(JSON.parse(entry!.details!)).toEqual({
      doc_type: 'rca',
      document_id: result.document.id,
      issue_id: issueId,
      created: true,
      sha256: sha256Hex(result.markdown),
      length: result.markdown.length,
    });
    expect(store.verifyAuditChain().ok).toBe(true);
  });

  it('generating again updates the same row and adds a second audit entry', () => {
    const issueId = buildRichIssue(store);
    const first = generateDocument(store, { issueId, docType: 'postmortem', userId: 'U1', redact, now: at('14:00') });
    expect(first.markdown).toContain('_No action items recorded._');

    const second = generateDocument(store, {
      issueId,
      docType: 'postmortem',
      userId: 'U2',
      redact,
      fields: RICH_FIELDS,
      now: at('15:30'),
    });
    expect(second.created).toBe(false);
    expect(second.document.id).toBe(first.document.id);
    expect(second.markdown).not.toBe(first.markdown);
    expect(second.markdown).toContain('| high | Separate connection pool for batch jobs |');
    const stored = store.documents.get(first.document.id)!;
    expect(stored.content_md).toBe(second.markdown);
    expect(stored.created_at).toBe(at('14:00').getTime());
    expect(stored.updated_at).toBe(at('15:30').getTime());
    expect(store.documents.listByIssue(issueId)).toHaveLength(1);

    const entries = docAudit(first.document.id);
    expect(entries.map((e) => e.user_id)).toEqual(['U1', 'U2']);
    expect(entries.map((e) => JSON.parse(e.details!).sha256)).toEqual([
      sha256Hex(first.markdown),
      sha256Hex(second.markdown),
    ]);
    expect(JSON.parse(entries[1]!.details!).created).toBe(false);

    // The RCA is a separate document of the same issue.
    const rca = generateDocument(store, { issueId, docType: 'rca', userId: 'U1', redact });
    expect(rca.document.id).not.toBe(first.document.id);
    expect(store.documents.listByIssue(issueId)).toHaveLength(2);
  });

  it('an unknown issue is a NotFoundError and writes nothing', () => {
    const before = store.audit.list().length;
    expect(() => generateDocument(store, { issueId: 'no-such-issue', docType: 'rca', userId: 'U1', redact })).toThrow(
      NotFoundError,
    );
    expect(store.documents.listRecent()).toEqual([]);
    expect(store.audit.list()).toHaveLength(before);
  });

  it('invalid fields or a failing redactor roll everything back', () => {
    const issueId = buildRichIssue(store);
    const before = store.audit.list({ limit: 1000 }).length;
    expect(() =>
      generateDocument(store, {
        issueId,
        docType: 'rca',
        userId: 'U1',
        redact,
        fields: { impact: 'x'.repeat(3001) },
      }),
    ).toThrow(ZodError);
    const failing: Redact = () => {
      throw new Error('redactor down');
    };
    expect(() => generateDocument(store, { issueId, docType: 'rca', userId: 'U1', redact: failing })).toThrow(
      'redactor down',
    );
    expect(store.documents.listByIssue(issueId)).toEqual([]);
    expect(store.audit.list({ limit: 1000 })).toHaveLength(before);
  });

  it('neither the stored document, its title nor the audit entry contain planted PII', () => {
    const email = 'jane_doe@example.com';
    const card = '5555 5555 5555 4444';
    const issueId = buildRichIssue(store, { title: `Refund for ${email}`, description: `card ${card}` });
    const { document } = generateDocument(store, {
      issueId,
      docType: 'postmortem',
      userId: 'U1',
      redact,
      fields: { impact: `Customer ${email}`, action_items: [{ action: `Refund ${card}`, owner: email }] },
    });
    const row = store.documents.get(document.id)!;
    const audit = docAudit(document.id)[0]!.details!;
    for (const text of [row.title, row.content_md, audit]) {
      expect(text).not.toContain(email);
      expect(text).not.toContain(card);
    }
    expect(row.title).toBe('Postmortem: Refund for [Email]');
  });
});
