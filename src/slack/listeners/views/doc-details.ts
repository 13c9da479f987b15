import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { type OptionalDocFieldsInput, OptionalDocFieldsSchema } from '../../../docs/index.js';
import {
  ACTION_ITEMS_BLOCK,
  DOC_TEXT_FIELDS,
  type DocModalMeta,
  DocModalMetaSchema,
  parseActionItems,
  readDocForm,
} from '../../blocks/doc-modal.js';
import type { AppContext } from '../../context.js';
import { docTarget, docTargetProblem, generateAndPostDocument } from '../../flows/doc-post.js';
import { guarded } from '../../flows/errors.js';
import { CALLBACK } from '../../ids.js';
import { ViewSubmissionSchema } from '../payloads.js';
import { notifyUser } from './create-issue.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const OUT_OF_DATE = 'This form is out of date; close it and use Generate RCA (or /tftsr rca | postmortem) again.';

/**
 * Submit of the document modal: validates the fields (errors shown in the modal), claims the submission so a
 * double click posts once, closes the modal, then generates, stores and posts the document into the issue's thread.
 */
export function registerDocDetailsView(app: App, ctx: AppContext): void {
  app.view({ callback_id: CALLBACK.docDetails, type: 'view_submission' }, async ({ ack, body, client }: Args) => {
    const payload = ViewSubmissionSchema.safeParse(body);
    // Where errors can be shown: the first input of the submitted view (the modal has no fixed first input).
    const firstBlock = payload.success ? (Object.keys(payload.data.view.state.values)[0] ?? 'impact') : 'impact';
    const fail = (message: string) => ack({ response_action: 'errors', errors: { [firstBlock]: message } });
    const meta = payload.success ? safeMeta(payload.data.view.private_metadata) : undefined;
    if (!payload.success || !meta) {
      ctx.logger.warn('document modal submitted with unreadable private_metadata');
      await fail(OUT_OF_DATE);
      return;
    }
    const { view, user } = payload.data;
    const teamId = payload.data.team?.id ?? view.team_id ?? '';
    // private_metadata travelled through the client: the issue is looked up again and must be in this team.
    const target = docTarget(ctx, meta.i, teamId);
    if (target.status !== 'ok') {
      ctx.logger.warn({ user_id: user.id, reason: target.status }, 'document modal for an issue it may not use');
      await fail(docTargetProblem(target));
      return;
    }

    const form = readForm(meta, view.state.values);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }

    // A double-clicked submit repeats the view id and hash: only the first one posts.
    const key = `view:${view.id}:${view.hash ?? ''}`;
    const claim = ctx.deliveries.claim(key, 'doc_post');
    await ack();
    if (claim.status !== 'claimed') {
      ctx.logger.info({ user_id: user.id }, 'duplicate document submit ignored');
      return;
    }
    const notify = notifyUser(client, target.channelId, user.id);
    await guarded(ctx.logger, notify, 'document', async () => {
      try {
        const outcome = await ctx.work.run(() =>
          generateAndPostDocument(ctx, client, {
            issueId: target.issue.id,
            docType: meta.t,
            userId: user.id,
            fields: form.fields,
            channelId: target.channelId,
            threadTs: target.threadTs,
            notify,
          }),
        );
        ctx.deliveries.complete(key, outcome.document.id);
      } catch (err) {
        // Nothing was stored (generation is one transaction): the same submit may be tried again.
        ctx.deliveries.release(key);
        throw err;
      }
    });
  });
}

type FormResult = { ok: true; fields: OptionalDocFieldsInput } | { ok: false; errors: Record<string, string> };

/** The modal's values as OptionalDocFields, or errors by block id (Slack shows them under the inputs). */
export function readForm(meta: DocModalMeta, values: unknown): FormResult {
  let raw: ReturnType<typeof readDocForm>;
  try {
    raw = readDocForm(meta.t, values);
  } catch {
    return { ok: false, errors: { [DOC_TEXT_FIELDS[meta.t][0]!]: OUT_OF_DATE } };
  }
  const errors: Record<string, string> = {};
  const parsedItems = parseActionItems(raw.actionItems);
  if (parsedItems.problems.length > 0) {
    const shown = parsedItems.problems.slice(0, 3).join('; ');
    const more = parsedItems.problems.length > 3 ? ` (and ${parsedItems.problems.length - 3} more)` : '';
    errors[ACTION_ITEMS_BLOCK] = `${shown}${more}`;
  }
  const result = OptionalDocFieldsSchema.safeParse({ ...raw.texts, action_items: parsedItems.items });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? '');
      const block = field === 'action_items' ? ACTION_ITEMS_BLOCK : field || DOC_TEXT_FIELDS[meta.t][0]!;
      errors[block] ??= field === 'action_items' ? actionItemMessage(issue.path, issue.message) : issue.message;
    }
  }
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, fields: result.data };
}

function actionItemMessage(path: PropertyKey[], message: string): string {
  const index = typeof path[1] === 'number' ? path[1] : undefined;
  return index === undefined ? message : `item ${index + 1}: ${message}`;
}

function safeMeta(raw: string): DocModalMeta | undefined {
  try {
    const parsed = DocModalMetaSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
