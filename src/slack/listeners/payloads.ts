import { z } from 'zod';

/** The parts of Slack payloads the listeners use, validated: a malformed payload gets an answer, not a crash. */
export const CommandPayloadSchema = z.object({
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  channel_name: z.string().optional(),
  user_id: z.string().min(1),
  text: z.string().max(4000).default(''),
  trigger_id: z.string().min(1),
  response_url: z.string().optional(),
});
export type CommandPayload = z.infer<typeof CommandPayloadSchema>;

export const IssueButtonPayloadSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  team: z.object({ id: z.string().min(1) }).nullish(),
  channel: z.object({ id: z.string().min(1) }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().uuid() })).min(1),
});

export const ViewSubmissionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  team: z.object({ id: z.string().min(1) }).nullish(),
  view: z.object({
    id: z.string().min(1),
    hash: z.string().optional(),
    team_id: z.string().optional(),
    private_metadata: z.string().max(3000).default(''),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }),
  }),
});

export const MessageShortcutSchema = z.object({
  trigger_id: z.string().min(1),
  team: z.object({ id: z.string().min(1) }).nullish(),
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string().min(1) }),
  message: z.object({
    ts: z.string().min(1),
    thread_ts: z.string().optional(),
    text: z.string().default(''),
    user: z.string().optional(),
  }),
});
