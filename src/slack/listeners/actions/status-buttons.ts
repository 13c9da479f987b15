import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Status } from '../../../store/index.js';
import type { AppContext } from '../../context.js';
import { guarded } from '../../flows/errors.js';
import { changeIssue } from '../../flows/update-issue.js';
import { ACTION } from '../../ids.js';
import { describeChange } from '../commands/change.js';
import { IssueButtonPayloadSchema } from '../payloads.js';
import { actionIdPattern, ephemeralNotify, INCOMPLETE_BUTTON } from '../respond.js';

const STATUS_BY_ACTION: Record<string, Status> = {
  [ACTION.investigate]: 'investigating',
  [ACTION.resolve]: 'resolved',
  [ACTION.close]: 'closed',
  [ACTION.reopen]: 'open',
};

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** Card buttons Investigating / Resolve / Close / Reopen. The button's value is the issue id. */
export function registerStatusButtons(app: App, ctx: AppContext): void {
  const pattern = actionIdPattern(Object.keys(STATUS_BY_ACTION));
  app.action({ type: 'block_actions', action_id: pattern }, async ({ ack, body, respond, client }: Args) => {
    await ack();
    const payload = IssueButtonPayloadSchema.safeParse(body);
    const notify = ephemeralNotify(respond);
    if (!payload.success) {
      ctx.logger.warn('malformed block_actions payload');
      await notify({ text: INCOMPLETE_BUTTON }).catch(() => undefined);
      return;
    }
    const action = payload.data.actions[0]!;
    const status = STATUS_BY_ACTION[action.action_id]!;
    const userId = payload.data.user.id;
    await guarded(ctx.logger, notify, 'button', () =>
      ctx.work.run(() =>
        changeIssue(ctx, client, {
          ...describeChange(ctx, { kind: 'status', status }, action.value, userId),
          issueId: action.value,
          userId,
          notify,
        }),
      ),
    );
  });
}
