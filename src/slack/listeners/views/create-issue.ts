import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { IssueValidationError, validateNewIssue } from '../../../services/issues.js';
import { sha256Hex } from '../../../store/index.js';
import { type CreateModalMeta, CreateModalMetaSchema } from '../../blocks/create-modal.js';
import type { AppContext, Notify, WebClient } from '../../context.js';
import { createIssueInChannel } from '../../flows/create-issue.js';
import { guarded, slackErrorCode } from '../../flows/errors.js';
import { CALLBACK, CREATE_FIELDS as F } from '../../ids.js';
import { threadPermalink } from '../../text.js';
import { ViewSubmissionSchema } from '../payloads.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Which modal block shows the error for each field of the issue schema. */
const BLOCK_FOR_FIELD: Record<string, string> = {
  title: F.title.block,
  severity: F.severity.block,
  category: F.category.block,
  description: F.description.block,
  tags: F.tags.block,
  assigned_to: F.assignee.block,
};

const ValuesSchema = z.object({
  [F.title.block]: z.object({ [F.title.action]: z.object({ value: z.string().nullish() }) }).optional(),
  [F.severity.block]: z
    .object({ [F.severity.action]: z.object({ selected_option: z.object({ value: z.string() }).nullish() }) })
    .optional(),
  [F.category.block]: z.object({ [F.category.action]: z.object({ value: z.string().nullish() }) }).optional(),
  [F.description.block]: z.object({ [F.description.action]: z.object({ value: z.string().nullish() }) }).optional(),
  [F.tags.block]: z.object({ [F.tags.action]: z.object({ value: z.string().nullish() }) }).optional(),
  [F.assignee.block]: z.object({ [F.assignee.action]: z.object({ selected_user: z.string().nullish() }) }).optional(),
});

/** Reads the modal's inputs into the issue schema's shape. */
export function readCreateForm(values: unknown) {
  const v = ValuesSchema.parse(values);
  const text = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);
  return {
    title: v.title?.title_input.value?.trim() ?? '',
    severity: v.severity?.severity_select.selected_option?.value ?? '',
    category: text(v.category?.category_input.value),
    description: text(v.description?.description_input.value),
    tags: (v.tags?.tags_input.value ?? '')
      .split(/[\s,]+/)
      .map((t) => t.replace(/^#/, ''))
      .filter(Boolean),
    assigned_to: v.assignee?.assignee_select.selected_user ?? null,
  };
}

/** Ephemeral in the channel when possible, else a DM from the app (its Messages tab), e.g. when not in the channel. */
export function notifyUser(client: WebClient, channelId: string, userId: string): Notify {
  return async (m) => {
    try {
      await client.chat.postEphemeral({ channel: channelId, user: userId, text: m.text });
    } catch {
      await client.chat.postMessage({ channel: userId, text: m.text });
    }
  };
}

export function registerCreateIssueView(app: App, ctx: AppContext): void {
  app.view({ callback_id: CALLBACK.createIssue, type: 'view_submission' }, async ({ ack, body, client }: Args) => {
    const payload = ViewSubmissionSchema.safeParse(body);
    const meta = payload.success ? safeMeta(payload.data.view.private_metadata) : undefined;
    if (!payload.success || !meta) {
      await ack({
        response_action: 'errors',
        errors: { [F.title.block]: 'This form is out of date; close it and run /tftsr new again.' },
      });
      return;
    }
    const { view, user } = payload.data;
    const teamId = payload.data.team?.id ?? view.team_id ?? '';
    let form: ReturnType<typeof readCreateForm>;
    try {
      form = readCreateForm(view.state.values);
    } catch {
      await ack({
        response_action: 'errors',
        errors: { [F.title.block]: 'This form is out of date; close it and run /tftsr new again.' },
      });
      return;
    }
    let input: ReturnType<typeof validateNewIssue>;
    try {
      input = validateNewIssue({ ...form, source: `slack (${meta.c})` });
    } catch (err) {
      if (!(err instanceof IssueValidationError)) throw err;
      const errors: Record<string, string> = {};
      for (const [field, message] of Object.entries(err.fields)) {
        errors[BLOCK_FOR_FIELD[field] ?? F.title.block] ??= message;
      }
      await ack({ response_action: 'errors', errors });
      return;
    }
    // Valid: close the modal now; posting the card and storing continue after the ack.
    await ack();
    await guarded(ctx.logger, notifyUser(client, meta.c, user.id), 'form', () =>
      ctx.work.run(() => finishCreate(ctx, client, { teamId, userId: user.id, meta, input, form, view })),
    );
  });
}

async function finishCreate(
  ctx: AppContext,
  client: WebClient,
  args: {
    teamId: string;
    userId: string;
    meta: CreateModalMeta;
    input: ReturnType<typeof validateNewIssue>;
    form: ReturnType<typeof readCreateForm>;
    view: { id: string; hash?: string | undefined };
  },
): Promise<void> {
  const { teamId, meta, input, form, view } = args;
  const user = { id: args.userId };
  const outcome = await createIssueInChannel(ctx, client, {
    teamId,
    channelId: meta.c,
    userId: user.id,
    input,
    // A double-clicked submit repeats the same view id and hash.
    deliveryKey: `view:${view.id}:${view.hash ?? ''}`,
    notify: notifyUser(client, meta.c, user.id),
    // Opened from the message shortcut: the description holds the (redacted) message; record where it came from.
    ...(meta.m
      ? {
          evidence: {
            channelId: meta.c,
            messageTs: meta.m,
            sha256: sha256Hex(form.description ?? ''),
            redactedSpans: null,
          },
        }
      : {}),
  });
  if (outcome.status === 'created' && meta.m) {
    const link = threadPermalink(ctx.workspace.teamUrl, meta.c, meta.m);
    await client.chat
      .postMessage({
        channel: meta.c,
        thread_ts: outcome.ts,
        text: `:paperclip: Created by <@${user.id}> from ${link ? `<${link}|a message>` : 'a message'}.`,
      })
      .catch((err) => ctx.logger.warn({ slack_error: slackErrorCode(err) }, 'evidence thread note failed'));
  }
}

function safeMeta(raw: string) {
  try {
    const parsed = CreateModalMetaSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
