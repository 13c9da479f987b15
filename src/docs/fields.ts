import { z } from 'zod';

/** Each free-text field of the document modal: Slack's multiline input allows 3000 characters. */
export const DOC_FIELD_MAX = 3000;
export const ACTION_ITEMS_MAX = 20;

export const ACTION_PRIORITIES = ['high', 'medium', 'low'] as const;
export const ACTION_STATUSES = ['open', 'in_progress', 'done'] as const;

// Blank modal inputs arrive as '' or null: both mean "not given", so the renderer has one case to handle.
const FreeText = z
  .string()
  .trim()
  .max(DOC_FIELD_MAX)
  .nullish()
  .transform((v) => (v ? v : undefined));

const ShortText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : undefined));

export const ActionItemSchema = z.object({
  priority: z.enum(ACTION_PRIORITIES).default('medium'),
  action: z.string().trim().min(1, 'an action item needs an action').max(DOC_FIELD_MAX),
  owner: ShortText(100),
  /** A Slack datepicker value (YYYY-MM-DD). */
  due: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'due is a date (YYYY-MM-DD)')
    .nullish()
    .transform((v) => v ?? undefined),
  status: z.enum(ACTION_STATUSES).default('open'),
});
export type ActionItem = z.output<typeof ActionItemSchema>;

/** What the short modal before generating a document asks for; every field is optional. */
export const OptionalDocFieldsSchema = z.object({
  corrective_actions_immediate: FreeText,
  corrective_actions_long_term: FreeText,
  lessons_learned: FreeText,
  impact: FreeText,
  contributing_factors: FreeText,
  what_went_well: FreeText,
  what_could_be_improved: FreeText,
  action_items: z.array(ActionItemSchema).max(ACTION_ITEMS_MAX).default([]),
});
export type OptionalDocFields = z.output<typeof OptionalDocFieldsSchema>;
export type OptionalDocFieldsInput = z.input<typeof OptionalDocFieldsSchema>;

export const EMPTY_DOC_FIELDS: OptionalDocFields = OptionalDocFieldsSchema.parse({});
