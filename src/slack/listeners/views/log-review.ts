import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { ReviewMetaSchema, readReviewForm } from '../../blocks/log-review.js';
import type { AppContext } from '../../context.js';
import { guarded } from '../../flows/errors.js';
import { submitReview } from '../../flows/log-review.js';
import { LOG_CALLBACK } from '../../ids.js';
import { ViewSubmissionSchema } from '../payloads.js';
import { notifyUser } from './create-issue.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The review modal's submit: closes the modal at once, then applies the verdicts (applyRedactionReview regenerates
 * the redacted text), redraws the summary and says so in the thread. A double submit is applied once.
 */
export function registerLogReviewView(app: App, ctx: AppContext): void {
  app.view(LOG_CALLBACK.review, async ({ ack, body, client }: Args) => {
    await ack();
    const payload = ViewSubmissionSchema.safeParse(body);
    const meta = payload.success ? safeJson(payload.data.view.private_metadata) : undefined;
    const parsedMeta = ReviewMetaSchema.safeParse(meta);
    if (!payload.success || !parsedMeta.success) {
      ctx.logger.warn('malformed review submission');
      return;
    }
    const { user, view } = payload.data;
    const channel = parsedMeta.data.c ?? user.id;
    const notify = notifyUser(client, channel, user.id);
    const form = readReviewForm(view.state.values as Record<string, Record<string, unknown>>);
    await guarded(ctx.logger, notify, 'review', async () => {
      await ctx.deliveries.once(`view:${view.id}:${view.hash ?? ''}`, 'log_review', () =>
        ctx.work.run(() => submitReview(ctx, client, { meta: parsedMeta.data, userId: user.id, ...form, notify })),
      );
    });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
