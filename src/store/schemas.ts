import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const STATUSES = ['open', 'investigating', 'resolved', 'closed'] as const;
export const DOC_TYPES = ['rca', 'postmortem'] as const;
export const AI_ROLES = ['system', 'user', 'assistant'] as const;

export const SeveritySchema = z.enum(SEVERITIES);
export const StatusSchema = z.enum(STATUSES);
export const DocTypeSchema = z.enum(DOC_TYPES);
export type Severity = z.infer<typeof SeveritySchema>;
export type Status = z.infer<typeof StatusSchema>;
export type DocType = z.infer<typeof DocTypeSchema>;

const TagSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^\s,]+$/, 'tags have no spaces or commas');
const TagsSchema = z.array(TagSchema).max(20);
const OptionalText = (max: number) => z.string().trim().max(max).nullish();

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 10_000;

export const NewIssueSchema = z.object({
  title: z.string().trim().min(1, 'a title is required').max(TITLE_MAX),
  description: OptionalText(DESCRIPTION_MAX),
  severity: SeveritySchema,
  category: OptionalText(100),
  source: OptionalText(200),
  assigned_to: OptionalText(100),
  tags: TagsSchema.default([]),
});
export type NewIssue = z.input<typeof NewIssueSchema>;

export const IssuePatchSchema = z
  .object({
    title: z.string().trim().min(1).max(TITLE_MAX),
    description: OptionalText(DESCRIPTION_MAX),
    severity: SeveritySchema,
    category: OptionalText(100),
    assigned_to: OptionalText(100),
    tags: TagsSchema,
  })
  .partial();
export type IssuePatch = z.input<typeof IssuePatchSchema>;

export interface Issue {
  id: string;
  title: string;
  description: string | null;
  severity: Severity;
  status: Status;
  category: string | null;
  source: string | null;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  assigned_to: string | null;
  tags: string[];
}

export interface LogFile {
  id: string;
  issue_id: string;
  file_name: string;
  file_path: string;
  file_size: number | null;
  mime_type: string | null;
  content_hash: string | null;
  uploaded_at: string;
  /** 1 once a person has reviewed the redactions (seed: boolean 0/1). */
  redacted: number;
  slack_file_id: string | null;
  uploaded_by: string | null;
  line_count: number | null;
  content_encoding: 'identity' | 'gzip';
  /** 'storing' while a large log is written in several transactions; only 'ready' logs are listed. */
  ingest_state: 'storing' | 'ready';
}

export const NewLogFileSchema = z.object({
  issue_id: z.string().min(1),
  file_name: z.string().min(1).max(500),
  file_path: z.string().min(1).max(2000),
  file_size: z.number().int().nonnegative().nullish(),
  mime_type: z.string().max(200).nullish(),
  content_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullish(),
  redacted: z.boolean().default(false),
  slack_file_id: z.string().max(100).nullish(),
  uploaded_by: z.string().max(100).nullish(),
  line_count: z.number().int().nonnegative().nullish(),
  content_encoding: z.enum(['identity', 'gzip']).default('identity'),
  ingest_state: z.enum(['storing', 'ready']).default('ready'),
});
export type NewLogFile = z.input<typeof NewLogFileSchema>;

export interface PiiSpan {
  id: string;
  log_file_id: string;
  pii_type: string;
  start_offset: number;
  end_offset: number;
  original_value: string;
  replacement: string;
  /** Migration 015's per-span verdict; not written since 017: verdicts live in pii_review_rejections. */
  decision: SpanDecision;
}

export const SPAN_DECISIONS = ['pending', 'approved', 'rejected'] as const;
export type SpanDecision = (typeof SPAN_DECISIONS)[number];

export const NewPiiSpanSchema = z
  .object({
    pii_type: z.string().min(1).max(100),
    start_offset: z.number().int().nonnegative(),
    end_offset: z.number().int().nonnegative(),
    original_value: z.string(),
    replacement: z.string(),
  })
  .refine((s) => s.end_offset > s.start_offset, 'end_offset must be after start_offset');
export type NewPiiSpan = z.input<typeof NewPiiSpanSchema>;

export interface ResolutionStep {
  id: string;
  issue_id: string;
  step_order: number;
  why_question: string;
  answer: string | null;
  evidence: string | null;
  created_at: string;
}

export const WHY_TEXT_MAX = 3000;
export const SaveStepSchema = z.object({
  issue_id: z.string().min(1),
  step_order: z.number().int().min(1, 'step_order is 1 to 5').max(5, 'step_order is 1 to 5'),
  why_question: z.string().trim().min(1).max(WHY_TEXT_MAX),
  answer: z.string().max(WHY_TEXT_MAX).nullish(),
  evidence: z.string().max(WHY_TEXT_MAX).nullish(),
});
export type SaveStep = z.input<typeof SaveStepSchema>;

export interface AiConversation {
  id: string;
  issue_id: string;
  provider: string;
  model: string;
  created_at: string;
  title: string | null;
}

export interface AiMessage {
  id: string;
  conversation_id: string;
  role: (typeof AI_ROLES)[number];
  content: string;
  token_count: number;
  created_at: string;
}

export interface DocumentRow {
  id: string;
  issue_id: string;
  doc_type: DocType;
  title: string;
  content_md: string;
  created_at: number;
  updated_at: number;
}

/** The seed's IssueDetail: what getIssue returns. */
export interface IssueDetail {
  issue: Issue;
  log_files: LogFile[];
  resolution_steps: ResolutionStep[];
  conversations: AiConversation[];
}

export interface AuditEntry {
  id: string;
  timestamp: string;
  action: string;
  entity_type: string;
  entity_id: string;
  user_id: string;
  details: string | null;
  seq: number | null;
  prev_hash: string | null;
  entry_hash: string | null;
}

export const AUDIT_ACTIONS = [
  'issue_create',
  'issue_update',
  'status_change',
  'severity_change',
  'assign',
  'tag',
  'log_attach',
  'redaction_review',
  'redacted_download',
  'evidence_add',
  'why_step_saved',
  'root_cause_identified',
  'doc_generate',
  'doc_post',
  'ai_send',
  'db_rekey',
  'db_migrate',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * details hold ids, counts, enums and SHA-256 hashes — never content. Strings are capped so that a careless caller
 * cannot park a log line in the audit trail.
 */
const AuditScalar = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);
export const AuditDetailsSchema = z.record(
  z.string().max(64),
  z.union([AuditScalar, z.array(AuditScalar).max(100), z.record(z.string().max(64), AuditScalar)]),
);
export type AuditDetails = z.infer<typeof AuditDetailsSchema>;

export const NewAuditEntrySchema = z.object({
  action: z.enum(AUDIT_ACTIONS),
  entity_type: z.string().min(1).max(50),
  entity_id: z.string().min(1).max(200),
  user_id: z.string().min(1).max(100).default('local'),
  details: AuditDetailsSchema.optional(),
});
export type NewAuditEntry = z.input<typeof NewAuditEntrySchema>;
