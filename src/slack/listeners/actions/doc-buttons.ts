import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { DocType } from '../../../store/index.js';
import type { AppContext, Notify } from '../../context.js';
import { safeNotify } from '../../flows/create-issue.js';
import { docTarget, docTargetProblem, openDocModal } from '../../flows/doc-post.js';
import { guarded } from '../../flows/errors.js';
import { ACTION } from '../../ids.js';
import { actionIdPattern, ephemeralNotify, INCOMPLETE_BUTTON } from '../respond.js';
import { notifyUser } from '../views/create-issue.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

const DOC_BY_ACTION: Record<string, DocType> = {
  [ACTION.generateRca]: 'rca',
  [ACTION.generatePostmortem]: 'postmortem',
};

const DocButtonSchema = z.object({
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string().min(1) }).nullish(),
  response_url: z.string().optional(),
  /** Set when the button is inside a modal (then the document modal is pushed on top of it). */
  view: z.object({ id: z.string() }).passthrough().optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().uuid() })).min(1),
});

/**
 * *Generate RCA* (issue card, end of the 5 Whys) and *Postmortem* (resolved / closed cards): the value is the issue
 * id. Opens the document modal right after the ack (trigger_id lives 3 seconds); posting happens on its submit.
 */
export function registerDocButtons(app: App, ctx: AppContext): void {
  const pattern = actionIdPattern(Object.keys(DOC_BY_ACTION));
  app.action({ type: 'block_actions', action_id: pattern }, async ({ ack, body, respond, client }: Args) => {
    await ack();
    const payload = DocButtonSchema.safeParse(body);
    const viaResponseUrl = ephemeralNotify(respond);
    if (!payload.success) {
      ctx.logger.warn('malformed document button payload');
      if ((body as { response_url?: unknown }).response_url) {
        await safeNotify(ctx, viaResponseUrl, INCOMPLETE_BUTTON);
      }
      return;
    }
    const { user, actions, trigger_id, view } = payload.data;
    const action = actions[0]!;
    const docType = DOC_BY_ACTION[action.action_id]!;
    const teamId = payload.data.team?.id ?? user.team_id ?? '';
    const target = docTarget(ctx, action.value, teamId);
    // A button in a modal has no response_url: answer in the issue's channel, else by DM.
    const notify: Notify = payload.data.response_url
      ? viaResponseUrl
      : notifyUser(client, target.status === 'ok' ? target.channelId : user.id, user.id);
    await guarded(ctx.logger, notify, 'button', async () => {
      if (target.status !== 'ok') {
        await safeNotify(ctx, notify, docTargetProblem(target));
        return;
      }
      await openDocModal(ctx, client, {
        triggerId: trigger_id,
        issueId: target.issue.id,
        docType,
        push: view !== undefined,
        notify,
        userId: user.id,
      });
    });
  });
}
