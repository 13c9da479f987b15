import { z } from 'zod';
import { ACTION_ITEMS_MAX, type ActionItem, DOC_FIELD_MAX, type OptionalDocFieldsInput } from '../../docs/index.js';
import { type DocType, DocTypeSchema, shortId } from '../../store/index.js';
import { CALLBACK } from '../ids.js';
import type { KnownBlock, ModalView } from './common.js';

/** What a document is called in Slack text. */
export const DOC_LABEL: Record<DocType, string> = { rca: 'RCA', postmortem: 'Postmortem' };

/**
 * private_metadata of the document modal: the issue id and the document type, nothing else. It comes back from
 * the client, so the submit handler re-checks the issue (exists, has a thread, same team) before using it.
 */
export const DocModalMetaSchema = z.object({ i: z.string().uuid(), t: DocTypeSchema });
export type DocModalMeta = z.infer<typeof DocModalMetaSchema>;

/** The modal's free-text inputs: block_id = the OptionalDocFields key, action_id `value`. */
type TextField = Exclude<keyof OptionalDocFieldsInput, 'action_items'>;
export const DOC_INPUT_ACTION = 'value';
export const ACTION_ITEMS_BLOCK = 'action_items';

interface FieldSpec {
  label: string;
  hint?: string;
  placeholder?: string;
}

const TEXT_FIELDS: Record<TextField, FieldSpec> = {
  corrective_actions_immediate: {
    label: 'Corrective actions — immediate',
    placeholder: 'What was done to restore service (one per line)',
  },
  corrective_actions_long_term: {
    label: 'Corrective actions — long-term',
    placeholder: 'What will keep it from happening again (one per line)',
  },
  lessons_learned: { label: 'Lessons learned', placeholder: 'One per line' },
  impact: { label: 'Impact', placeholder: 'Who or what was affected, for how long, how badly' },
  contributing_factors: { label: 'Contributing factors', placeholder: 'One per line' },
  what_went_well: { label: 'What went well', placeholder: 'One per line' },
  what_could_be_improved: { label: 'What could be improved', placeholder: 'One per line' },
};

/** The fields each document type renders (and so asks for), in modal order. */
export const DOC_TEXT_FIELDS: Record<DocType, TextField[]> = {
  rca: ['corrective_actions_immediate', 'corrective_actions_long_term', 'lessons_learned'],
  postmortem: ['impact', 'contributing_factors', 'what_went_well', 'what_could_be_improved'],
};

function textInput(block: string, spec: FieldSpec): KnownBlock {
  return {
    type: 'input',
    block_id: block,
    optional: true,
    label: { type: 'plain_text', text: spec.label },
    ...(spec.hint ? { hint: { type: 'plain_text', text: spec.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: DOC_INPUT_ACTION,
      multiline: true,
      max_length: DOC_FIELD_MAX,
      ...(spec.placeholder ? { placeholder: { type: 'plain_text', text: spec.placeholder } } : {}),
    },
  };
}

/** The short modal before generating (or regenerating) a document: the optional fields its type uses. */
export function docModal(meta: DocModalMeta): ModalView {
  const label = DOC_LABEL[meta.t];
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            `${label} for issue \`${shortId(meta.i)}\`. Everything here is optional; the rest comes from the issue, ` +
            'its logs and its 5 Whys. Text is redacted before it is posted. Generating again replaces the earlier version.',
        },
      ],
    },
    ...DOC_TEXT_FIELDS[meta.t].map((field) => textInput(field, TEXT_FIELDS[field])),
  ];
  if (meta.t === 'postmortem') {
    blocks.push(
      textInput(ACTION_ITEMS_BLOCK, {
        label: 'Action items',
        hint:
          'One per line: priority | action | owner | due (YYYY-MM-DD) | status. Only the action is required; ' +
          'priority is high, medium or low; status is open, in progress or done.',
        placeholder: 'high | Separate pool for batch jobs | Payments team | 2026-03-16',
      }),
    );
  }
  return {
    type: 'modal',
    callback_id: CALLBACK.docDetails,
    private_metadata: JSON.stringify(meta),
    // Slack caps modal titles at 24 characters.
    title: { type: 'plain_text', text: `${label} details` },
    submit: { type: 'plain_text', text: meta.t === 'rca' ? 'Generate RCA' : 'Generate' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

const StateSchema = z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish() }).passthrough()));

/** The raw texts of the submitted modal, by field; inputs the type does not use are ignored. */
export function readDocForm(docType: DocType, values: unknown): { texts: Record<string, string>; actionItems: string } {
  const state = StateSchema.parse(values);
  const read = (block: string) => state[block]?.[DOC_INPUT_ACTION]?.value ?? '';
  const texts: Record<string, string> = {};
  for (const field of DOC_TEXT_FIELDS[docType]) texts[field] = read(field);
  return { texts, actionItems: docType === 'postmortem' ? read(ACTION_ITEMS_BLOCK) : '' };
}

const PRIORITY_ALIASES: Record<string, ActionItem['priority']> = {
  high: 'high',
  h: 'high',
  p1: 'high',
  critical: 'high',
  medium: 'medium',
  med: 'medium',
  m: 'medium',
  p2: 'medium',
  normal: 'medium',
  low: 'low',
  l: 'low',
  p3: 'low',
};

const STATUS_ALIASES: Record<string, ActionItem['status']> = {
  open: 'open',
  todo: 'open',
  'to do': 'open',
  'in progress': 'in_progress',
  in_progress: 'in_progress',
  'in-progress': 'in_progress',
  doing: 'in_progress',
  started: 'in_progress',
  done: 'done',
  closed: 'done',
  complete: 'done',
  completed: 'done',
};

const EMPTY_CELL = /^(?:-|—|–|n\/a|none)?$/i;

function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * Parses the action-items text leniently: one item per non-blank line, cells separated by `|`, list markers and
 * surrounding spaces ignored. A line with no `|` is just an action. With cells: priority | action | owner | due |
 * status, where an empty cell (or `-`) means "not given". Problems are reported per line, without echoing the text
 * (error messages are not redacted).
 */
export function parseActionItems(text: string): { items: OptionalDocFieldsInput['action_items']; problems: string[] } {
  const items: NonNullable<OptionalDocFieldsInput['action_items']> = [];
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim();
    if (line === '') continue;
    const n = index + 1;
    // A Markdown table row (`| a | b |`) is read like `a | b`.
    const row = line.startsWith('|') && line.endsWith('|') && line.length > 1 ? line.slice(1, -1) : line;
    const cells = row.includes('|') ? row.split('|').map((c) => c.trim()) : [row.trim()];
    if (cells.length > 5) {
      problems.push(`line ${n}: too many “|” cells (priority | action | owner | due | status)`);
      continue;
    }
    const [first = '', action = '', owner = '', due = '', status = ''] = cells.length === 1 ? ['', cells[0]] : cells;
    const priority = EMPTY_CELL.test(first) ? 'medium' : PRIORITY_ALIASES[first.toLowerCase()];
    if (!priority) {
      problems.push(`line ${n}: the priority is not high, medium or low`);
      continue;
    }
    if (action === '') {
      problems.push(`line ${n}: the action is missing`);
      continue;
    }
    if (owner.length > 100) {
      problems.push(`line ${n}: the owner is longer than 100 characters`);
      continue;
    }
    if (!EMPTY_CELL.test(due) && !isRealDate(due)) {
      problems.push(`line ${n}: the due date is not a date like 2026-03-16`);
      continue;
    }
    const itemStatus = EMPTY_CELL.test(status) ? 'open' : STATUS_ALIASES[status.toLowerCase().replace(/\s+/g, ' ')];
    if (!itemStatus) {
      problems.push(`line ${n}: the status is not open, in progress or done`);
      continue;
    }
    items.push({
      priority,
      action,
      ...(EMPTY_CELL.test(owner) ? {} : { owner }),
      ...(EMPTY_CELL.test(due) ? {} : { due }),
      status: itemStatus,
    });
  }
  if (items.length > ACTION_ITEMS_MAX)
    problems.push(`at most ${ACTION_ITEMS_MAX} action items (${items.length} given)`);
  return { items, problems };
}
