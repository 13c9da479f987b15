/** Slack ids that cross files and issues: `tftsr.<area>.<verb>` (see DESIGN.md). */
export const COMMAND = '/tftsr';

export const CALLBACK = {
  /** The create-issue modal (from `/tftsr new` and the message shortcut). */
  createIssue: 'tftsr.issue.create',
  /** Message shortcut "Add to TFTSR issue". */
  addEvidence: 'tftsr.evidence.add',
} as const;

/** Buttons on the issue card; each carries the issue id in `value`. */
export const ACTION = {
  investigate: 'tftsr.issue.investigate',
  resolve: 'tftsr.issue.resolve',
  close: 'tftsr.issue.close',
  reopen: 'tftsr.issue.reopen',
  startWhys: 'tftsr.whys.start',
  generateRca: 'tftsr.doc.rca',
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
