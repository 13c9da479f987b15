import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { RedactionReview } from '../../services/log-review.js';
import { LOG_CALLBACK } from '../ids.js';
import { escapeMrkdwn, truncate } from '../text.js';
import type { KnownBlock, ModalView } from './common.js';
import { safeFileName } from './log-summary.js';

/**
 * The review-redactions modal. Policy: nobody sees original values in Slack. A value is shown by its type, its
 * length, how often it occurs, and its first line with every redaction applied (the value itself marked ⟦[Type]⟧).
 * The reviewer ticks false positives — single values, or a whole type.
 */

export const REVIEW_VALUES_PER_TYPE = 8;
const MAX_GROUPS = 30;
export const REVIEW_BLOCK_PREFIX = 'tftsr.log.review.g';
export const REVIEW_ACTION = 'reject';

export const ReviewMetaSchema = z.object({
  /** Log file id. */
  l: z.string().uuid(),
  /** Channel and ts of the summary message to redraw after applying. */
  c: z.string().optional(),
  m: z.string().optional(),
});
export type ReviewMeta = z.infer<typeof ReviewMetaSchema>;

const TITLE = { type: 'plain_text', text: 'Review redactions' } as const;

export function loadingReviewView(meta: ReviewMeta, text = 'Loading the redactions…'): ModalView {
  return {
    type: 'modal',
    callback_id: LOG_CALLBACK.review,
    title: TITLE,
    close: { type: 'plain_text', text: 'Close' },
    private_metadata: JSON.stringify(meta),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(text) } }],
  };
}

/** Inline code that nothing inside can end early. */
function inlineCode(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, 'ʼ')}\``;
}

function option(text: string, value: string): types.Option {
  return { text: { type: 'plain_text', text: truncate(text, 75) }, value };
}

export interface ReviewViewOptions {
  /** Types whose every value is currently rejected: their "all" box starts ticked. */
  rejectedTypes: ReadonlySet<string>;
  /** The free-text redactor (file names). */
  redact: (text: string) => string;
}

export function reviewView(review: RedactionReview, meta: ReviewMeta, opts: ReviewViewOptions): ModalView {
  const name = safeFileName(review.logFile.file_name, opts.redact);
  const blocks: KnownBlock[] = [];
  if (review.totalSpans === 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `Nothing was redacted in *${name}*, so there is nothing to review.` },
    });
    return { ...loadingReviewView(meta), blocks };
  }
  blocks.push(
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${name}* · ${review.totalSpans.toLocaleString('en-US')} redactions of ${review.groups.length} type${review.groups.length === 1 ? '' : 's'}.`,
      },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            ':lock: *Original values are never shown in Slack.* Each value is described by its type, length and ' +
            'first line, redacted, with ⟦[Type]⟧ marking it. Tick only *false positives*: they will appear as they ' +
            'are in the redacted text and downloads. Everything unticked stays redacted.',
        },
      ],
    },
  );
  for (const [i, group] of review.groups.slice(0, MAX_GROUPS).entries()) {
    const type = escapeMrkdwn(group.type);
    const lines = group.values.map(
      (v, n) =>
        `*${n + 1}.* ×${v.occurrences} · ${v.length} chars${v.decision === 'rejected' ? ' · _released_' : ''}\n${inlineCode(truncate(v.context, 240))}`,
    );
    const hidden = group.distinctValues - group.values.length;
    if (hidden > 0)
      lines.push(`_…and ${hidden} more value${hidden === 1 ? '' : 's'} (only the “all” box covers them)_`);
    blocks.push(
      { type: 'divider' },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `*${type}* — ${group.occurrences.toLocaleString('en-US')} found, ${group.distinctValues} distinct value${group.distinctValues === 1 ? '' : 's'}\n${lines.join('\n')}`,
            2900,
          ),
        },
      },
    );
    const typeOption =
      group.type.length <= 140 ? option(`All ${group.type} (${group.occurrences})`, `t:${group.type}`) : undefined;
    const valueOptions = group.values.map((v, n) =>
      option(`${n + 1}. ×${v.occurrences}, ${v.length} chars`, `v:${v.key}`),
    );
    const options = [...(typeOption ? [typeOption] : []), ...valueOptions].slice(0, 10);
    const typeRejected = opts.rejectedTypes.has(group.type) && typeOption;
    const initial = typeRejected
      ? [typeOption]
      : valueOptions.filter((_, n) => group.values[n]!.decision === 'rejected');
    blocks.push({
      type: 'input',
      block_id: `${REVIEW_BLOCK_PREFIX}${i}`,
      optional: true,
      label: { type: 'plain_text', text: truncate(`False positives: ${group.type}`, 150) },
      element: {
        type: 'checkboxes',
        action_id: REVIEW_ACTION,
        options,
        ...(initial.length ? { initial_options: initial } : {}),
      },
    });
  }
  if (review.groups.length > MAX_GROUPS) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `${review.groups.length - MAX_GROUPS} more types are not listed; they stay redacted.` },
      ],
    });
  }
  return {
    type: 'modal',
    callback_id: LOG_CALLBACK.review,
    title: TITLE,
    submit: { type: 'plain_text', text: 'Apply' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

const CheckboxStateSchema = z.object({
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
});

/** A value's key: the id (UUID) of its first span. */
const VALUE_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The ticked boxes: `t:<type>` → whole types, `v:<value key>` → single values. */
export function readReviewForm(values: Record<string, Record<string, unknown>>): {
  rejectTypes: string[];
  rejectValueKeys: string[];
} {
  const rejectTypes: string[] = [];
  const rejectValueKeys: string[] = [];
  for (const [blockId, actions] of Object.entries(values)) {
    if (!blockId.startsWith(REVIEW_BLOCK_PREFIX)) continue;
    const parsed = CheckboxStateSchema.safeParse(actions[REVIEW_ACTION]);
    for (const { value } of parsed.success ? (parsed.data.selected_options ?? []) : []) {
      if (value.startsWith('t:')) rejectTypes.push(value.slice(2));
      else if (value.startsWith('v:') && VALUE_KEY.test(value.slice(2))) rejectValueKeys.push(value.slice(2));
    }
  }
  return { rejectTypes, rejectValueKeys };
}
