/** Slack ids that cross files and issues: `tftsr.<area>.<verb>` (see DESIGN.md). */
export const COMMAND = '/tftsr';

export const CALLBACK = {
  /** The create-issue modal (from `/tftsr new` and the message shortcut). */
  createIssue: 'tftsr.issue.create',
  /** Message shortcut "Add to TFTSR issue". */
  addEvidence: 'tftsr.evidence.add',
  /** The optional-fields modal before an RCA / postmortem is generated and posted; private_metadata `{i, t}`. */
  docDetails: 'tftsr.doc.details',
  /** One why of the 5-Whys modal sequence; private_metadata `{i: issue id, s: step}`. */
  whyStep: 'tftsr.whys.step',
  /** The 5-Whys chain summary (finished chain; no inputs). */
  whySummary: 'tftsr.whys.summary',
} as const;

/** Buttons on the issue card; each carries the issue id in `value`. */
export const ACTION = {
  investigate: 'tftsr.issue.investigate',
  resolve: 'tftsr.issue.resolve',
  close: 'tftsr.issue.close',
  reopen: 'tftsr.issue.reopen',
  startWhys: 'tftsr.whys.start',
  generateRca: 'tftsr.doc.rca',
  /** On resolved / closed cards: the postmortem's modal (the card's issue id in value, like Generate RCA). */
  generatePostmortem: 'tftsr.doc.postmortem',
  /** In the why modal: the assistant suggests this step's question (shown only when AI is on). */
  whysSuggest: 'tftsr.whys.suggest',
  /** In the why modal: static_select "edit an earlier step" (value = step number). */
  whysBack: 'tftsr.whys.back',
} as const;

/** block_id / action_id pairs of the create-issue modal inputs. */
export const CREATE_FIELDS = {
  title: { block: 'title', action: 'title_input' },
  severity: { block: 'severity', action: 'severity_select' },
  category: { block: 'category', action: 'category_input' },
  description: { block: 'description', action: 'description_input' },
  tags: { block: 'tags', action: 'tags_input' },
  assignee: { block: 'assignee', action: 'assignee_select' },
} as const;

/** action_ids of the why modal inputs; their block_ids carry the step (and the question's a revision) — see blocks/whys.ts. */
export const WHY_FIELDS = {
  question: 'why_question',
  answer: 'why_answer',
  evidence: 'why_evidence',
  logs: 'why_logs',
  rootCause: 'why_root_cause',
} as const;

/** The log summary's buttons in an issue's thread (value = log file id) and the review modal (issue 5). */
export const LOG_ACTION = {
  review: 'tftsr.log.review',
  download: 'tftsr.log.download',
} as const;

export const LOG_CALLBACK = {
  /** The review-redactions modal; private_metadata `{l: log file id, c: channel, m: summary ts}`. */
  review: 'tftsr.log.review',
} as const;
