import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { parseWhyMeta } from '../../blocks/whys.js';
import type { AppContext } from '../../context.js';
import { guarded } from '../../flows/errors.js';
import { backToStep, findInput, openWhys, suggestIntoView } from '../../flows/whys.js';
import { ACTION, WHY_FIELDS } from '../../ids.js';
import { IssueButtonPayloadSchema, ViewSubmissionSchema } from '../payloads.js';
import { ephemeralNotify, INCOMPLETE_BUTTON } from '../respond.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

const StartSchema = IssueButtonPayloadSchema.extend({
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
});

/** block_actions inside the why modal: the view's ids, hash, metadata and state. */
const ViewActionSchema = z.object({
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string().min(1) }).nullish(),
  // The submitted view's shape; a block action may come before any input has state.
  view: ViewSubmissionSchema.shape.view.extend({ state: ViewSubmissionSchema.shape.view.shape.state.optional() }),
  actions: z
    .array(z.object({ action_id: z.string(), selected_option: z.object({ value: z.string() }).nullish() }))
    .min(1),
});

/**
 * *Start 5 Whys* (card, log summary: value = issue id) opens the modal; inside it, *Suggest question* and
 * "edit an earlier step" redraw it with views.update.
 */
export function registerWhysActions(app: App, ctx: AppContext): void {
  app.action({ type: 'block_actions', action_id: ACTION.startWhys }, async ({ ack, body, respond, client }: Args) => {
    await ack();
    const notify = ephemeralNotify(respond);
    const payload = StartSchema.safeParse(body);
    if (!payload.success) {
      ctx.logger.warn('malformed 5 Whys button payload');
      await notify({ text: INCOMPLETE_BUTTON }).catch(() => undefined);
      return;
    }
    const p = payload.data;
    // trigger_id expires after 3 s: open right away, not behind the work queue.
    await guarded(ctx.logger, notify, 'button', () =>
      openWhys(ctx, client, {
        issueId: p.actions[0]!.value,
        teamId: p.team?.id ?? p.user.team_id,
        userId: p.user.id,
        triggerId: p.trigger_id,
        notify,
      }),
    );
  });

  app.action({ type: 'block_actions', action_id: ACTION.whysBack }, async ({ ack, body, client }: Args) => {
    await ack();
    const payload = ViewActionSchema.safeParse(body);
    const meta = payload.success ? parseWhyMeta(payload.data.view.private_metadata) : undefined;
    const step = Number(payload.data?.actions[0]?.selected_option?.value);
    if (!payload.success || !meta || !Number.isInteger(step)) {
      ctx.logger.warn('malformed 5 Whys back payload');
      return;
    }
    const { view } = payload.data;
    await ctx.work
      .run(() =>
        backToStep(ctx, client, {
          issueId: meta.i,
          teamId: payload.data.team?.id ?? view.team_id ?? payload.data.user.team_id,
          step,
          view,
        }),
      )
      .catch((err) => ctx.logger.error({ err_name: (err as Error)?.name }, '5 Whys back failed'));
  });

  app.action({ type: 'block_actions', action_id: ACTION.whysSuggest }, async ({ ack, body, client }: Args) => {
    await ack();
    const payload = ViewActionSchema.safeParse(body);
    const meta = payload.success ? parseWhyMeta(payload.data.view.private_metadata) : undefined;
    if (!payload.success || !meta) {
      ctx.logger.warn('malformed 5 Whys suggest payload');
      return;
    }
    const { view, user } = payload.data;
    // Not on the work queue: the provider call mostly waits.
    await suggestIntoView(ctx, client, {
      meta,
      teamId: payload.data.team?.id ?? view.team_id ?? user.team_id,
      userId: user.id,
      view,
      questionBlock: findInput(view.state?.values ?? {}, WHY_FIELDS.question)?.blockId,
    }).catch((err) => ctx.logger.error({ err_name: (err as Error)?.name }, '5 Whys suggest failed'));
  });
}
