import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { parseWhyMeta } from '../../blocks/whys.js';
import type { AppContext } from '../../context.js';
import { guarded } from '../../flows/errors.js';
import { announceWhy, FORGED_FORM, findInput, submitWhy } from '../../flows/whys.js';
import { CALLBACK, WHY_FIELDS } from '../../ids.js';
import { ViewSubmissionSchema } from '../payloads.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Submit of one why: validated and saved before the ack, so that the ack can carry either the field errors or the
 * next step (`response_action: update`, not push: Slack's view stack holds three). The thread line is posted after.
 */
export function registerWhysView(app: App, ctx: AppContext): void {
  app.view({ callback_id: CALLBACK.whyStep, type: 'view_submission' }, async ({ ack, body, client }: Args) => {
    const payload = ViewSubmissionSchema.safeParse(body);
    const meta = payload.success ? parseWhyMeta(payload.data.view.private_metadata) : undefined;
    if (!payload.success || !meta) {
      const values = payload.success ? payload.data.view.state.values : {};
      const block = findInput(values, WHY_FIELDS.answer)?.blockId ?? 'why_a_1';
      ctx.logger.warn('why modal submitted with unusable private_metadata; nothing saved');
      await ack({ response_action: 'errors', errors: { [block]: FORGED_FORM } });
      return;
    }
    const { view, user } = payload.data;
    const teamId = payload.data.team?.id ?? view.team_id;
    const outcome = submitWhy(ctx, { meta, teamId, userId: user.id, values: view.state.values });
    if (outcome.kind === 'errors') {
      await ack({ response_action: 'errors', errors: outcome.errors });
      return;
    }
    await ack({ response_action: 'update', view: outcome.view });
    const notify = async (m: { text: string }) => {
      await client.chat.postEphemeral({ channel: outcome.thread.channel_id, user: user.id, text: m.text });
    };
    await guarded(ctx.logger, notify, 'why', () =>
      ctx.work.run(() =>
        announceWhy(ctx, client, { saved: outcome.saved, end: outcome.end, thread: outcome.thread, userId: user.id }),
      ),
    );
  });
}
