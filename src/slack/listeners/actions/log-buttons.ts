import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { guarded } from '../../flows/errors.js';
import { downloadRedacted, openReview } from '../../flows/log-review.js';
import { LOG_ACTION } from '../../ids.js';
import { ephemeralNotify, INCOMPLETE_BUTTON } from '../respond.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

const LogButtonSchema = z.object({
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1) }),
  container: z.object({ channel_id: z.string().optional(), message_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().uuid() })).min(1),
});

/** The log summary's *Review redactions* and *Download redacted* buttons; the value is the log file id. */
export function registerLogButtons(app: App, ctx: AppContext): void {
  app.action({ type: 'block_actions', action_id: LOG_ACTION.review }, async ({ ack, body, client, respond }: Args) => {
    await ack();
    const notify = ephemeralNotify(respond);
    const payload = LogButtonSchema.safeParse(body);
    if (!payload.success) {
      await notify({ text: INCOMPLETE_BUTTON }).catch(() => undefined);
      return;
    }
    const { container, actions, trigger_id: triggerId } = payload.data;
    const meta = {
      l: actions[0]!.value,
      ...(container?.channel_id && container.message_ts ? { c: container.channel_id, m: container.message_ts } : {}),
    };
    await guarded(ctx.logger, notify, 'review', () => openReview(ctx, client, { triggerId, meta, notify }));
  });

  app.action(
    { type: 'block_actions', action_id: LOG_ACTION.download },
    async ({ ack, body, client, respond }: Args) => {
      await ack();
      const notify = ephemeralNotify(respond);
      const payload = LogButtonSchema.safeParse(body);
      if (!payload.success) {
        await notify({ text: INCOMPLETE_BUTTON }).catch(() => undefined);
        return;
      }
      const logFileId = payload.data.actions[0]!.value;
      const userId = payload.data.user.id;
      await guarded(ctx.logger, notify, 'download', () =>
        ctx.work.run(() => downloadRedacted(ctx, client, { logFileId, userId, notify })),
      );
    },
  );
}
