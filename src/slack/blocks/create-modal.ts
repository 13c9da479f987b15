import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../store/index.js';
import { CALLBACK, CREATE_FIELDS as F } from '../ids.js';
import { truncate } from '../text.js';
import type { ModalView } from './common.js';

/** private_metadata of the create modal: ids only (Slack caps it at 3000 characters). */
export const CreateModalMetaSchema = z.object({
  /** Channel the card is posted in. */
  c: z.string().regex(/^[CDG][A-Z0-9]+$/),
  /** Source message ts when opened from the message shortcut: attached as evidence after create. */
  m: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional(),
});
export type CreateModalMeta = z.infer<typeof CreateModalMetaSchema>;

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'Critical — outage',
  high: 'High — major impact',
  medium: 'Medium — degraded',
  low: 'Low — minor',
};

const option = (s: Severity) => ({ text: { type: 'plain_text' as const, text: SEVERITY_LABEL[s] }, value: s });

/** The create-issue modal. Prefilled values are the caller's (already redacted) text. */
export function createIssueModal(
  meta: CreateModalMeta,
  prefill: { title?: string; description?: string; severity?: Severity } = {},
): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.createIssue,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'New TFTSR issue' },
    submit: { type: 'plain_text', text: 'Create' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: F.title.block,
        label: { type: 'plain_text', text: 'Title' },
        element: {
          type: 'plain_text_input',
          action_id: F.title.action,
          max_length: 200,
          ...(prefill.title ? { initial_value: truncate(prefill.title, 200) } : {}),
          placeholder: { type: 'plain_text', text: 'What is broken?' },
        },
      },
      {
        type: 'input',
        block_id: F.severity.block,
        label: { type: 'plain_text', text: 'Severity' },
        element: {
          type: 'static_select',
          action_id: F.severity.action,
          options: SEVERITIES.map(option),
          initial_option: option(prefill.severity ?? 'medium'),
        },
      },
      {
        type: 'input',
        block_id: F.category.block,
        optional: true,
        label: { type: 'plain_text', text: 'Category' },
        element: {
          type: 'plain_text_input',
          action_id: F.category.action,
          max_length: 100,
          placeholder: { type: 'plain_text', text: 'e.g. database, network, deploy' },
        },
      },
      {
        type: 'input',
        block_id: F.description.block,
        optional: true,
        label: { type: 'plain_text', text: 'Description' },
        element: {
          type: 'plain_text_input',
          action_id: F.description.action,
          multiline: true,
          max_length: 3000,
          ...(prefill.description ? { initial_value: truncate(prefill.description, 3000) } : {}),
        },
      },
      {
        type: 'input',
        block_id: F.tags.block,
        optional: true,
        label: { type: 'plain_text', text: 'Tags' },
        hint: { type: 'plain_text', text: 'Separated by spaces or commas' },
        element: { type: 'plain_text_input', action_id: F.tags.action, max_length: 500 },
      },
      {
        type: 'input',
        block_id: F.assignee.block,
        optional: true,
        label: { type: 'plain_text', text: 'Assignee' },
        element: { type: 'users_select', action_id: F.assignee.action },
      },
    ],
  };
}
