import { expect } from 'vitest';
import { type Issue, shortId } from '../../src/store/index.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { newTriggerId } from '../support/slack-driver.js';
import { openIssueIn, type SlackHarness } from '../support/slack-harness.js';

/** Helpers shared by the 5-Whys and assistant tests: drive the modal as Slack would, through signed requests. */

export type View = Record<string, unknown> & {
  id: string;
  hash?: string;
  blocks: Block[];
  private_metadata: string;
  title: { text: string };
};
type Block = {
  type: string;
  block_id?: string;
  element?: { action_id: string; initial_value?: string; options?: { value: string }[] };
  elements?: { action_id: string; options?: { value: string }[] }[];
};

export const createIssue = openIssueIn;

/** Clicks *Start 5 Whys* on the card and returns the view Slack opened. */
export async function openFromCard(h: SlackHarness, channel: string, ts: string, user = 'U0ALICE'): Promise<View> {
  const before = h.fake.callsTo('views.open').length;
  const res = await h.driver.clickButton(
    { channel, ts, blocks: h.fake.message(channel, ts)!.blocks! },
    'tftsr.whys.start',
    { id: user },
  );
  expect(res.status).toBe(200);
  await h.idle();
  const call = h.fake.callsTo('views.open')[before] as RecordedCall | undefined;
  expect(call?.response?.ok, JSON.stringify(h.fake.responsesTo(res.responseUrl))).toBe(true);
  return call!.response!.view as View;
}

/** `/tftsr whys [id]` and the view it opened (or undefined, with the ephemeral replies). */
export async function openFromCommand(h: SlackHarness, channel: string, text = 'whys', user = 'U0ALICE') {
  const res = await h.driver.command(text, { channel_id: channel, user_id: user });
  await h.idle();
  const call = h.fake.callsTo('views.open').find((c) => c.body.trigger_id === res.fields.trigger_id);
  const replies = h.fake.responsesTo(res.fields.response_url!).map((r) => String(r.body.text));
  return { res, view: call?.response?.view as View | undefined, replies };
}

export const blockIdFor = (view: View, actionId: string): string => {
  const block = view.blocks.find((b) => b.element?.action_id === actionId);
  if (!block?.block_id) throw new Error(`no input ${actionId} in view ${view.title.text}`);
  return block.block_id;
};

export const initialOf = (view: View, actionId: string): string | undefined =>
  view.blocks.find((b) => b.element?.action_id === actionId)?.element?.initial_value;

export interface WhyForm {
  question?: string;
  answer: string | null;
  evidence?: string;
  logs?: string[];
  rootCause?: boolean;
}

/** view.state.values as Slack sends it: the inputs of this view, the question left as prefilled unless given. */
export function whyValues(view: View, form: WhyForm) {
  const values: Record<string, Record<string, Record<string, unknown>>> = {};
  const text = (action: string, value: string | null | undefined) => {
    values[blockIdFor(view, action)] = { [action]: { type: 'plain_text_input', value: value ?? null } };
  };
  text('why_question', form.question ?? initialOf(view, 'why_question') ?? null);
  text('why_answer', form.answer);
  text('why_evidence', form.evidence ?? null);
  if (view.blocks.some((b) => b.element?.action_id === 'why_logs')) {
    values[blockIdFor(view, 'why_logs')] = {
      why_logs: { type: 'multi_static_select', selected_options: (form.logs ?? []).map((value) => ({ value })) },
    };
  }
  if (view.blocks.some((b) => b.element?.action_id === 'why_root_cause')) {
    values[blockIdFor(view, 'why_root_cause')] = {
      why_root_cause: {
        type: 'checkboxes',
        selected_options: form.rootCause ? [{ value: 'root_cause' }] : [],
      },
    };
  }
  return values;
}

/**
 * Submits a why. On `response_action: update` returns the view Slack would now show (same id, new content), as
 * Slack keeps the view id across updates.
 */
export async function submitWhy(h: SlackHarness, view: View, form: WhyForm, user = 'U0ALICE') {
  const res = await h.driver.submitView(view, whyValues(view, form), { id: user });
  await h.idle();
  expect(res.status).toBe(200);
  const json = (res.json ?? {}) as { response_action?: string; view?: View; errors?: Record<string, string> };
  const next =
    json.response_action === 'update' && json.view
      ? ({ ...json.view, id: view.id, hash: `${Date.now()}.next`, team_id: h.driver.teamId } as View)
      : undefined;
  return { json, next };
}

/** A block_actions from inside a modal (Suggest button, "edit an earlier step" select). */
export async function viewAction(
  h: SlackHarness,
  view: View,
  action: Record<string, unknown>,
  opts: { user?: string; values?: Record<string, Record<string, Record<string, unknown>>>; teamId?: string } = {},
) {
  const teamId = opts.teamId ?? h.driver.teamId;
  const user = opts.user ?? 'U0ALICE';
  const res = await h.driver.interactive({
    type: 'block_actions',
    team: { id: teamId, domain: h.fake.teamDomain },
    user: { id: user, username: user.toLowerCase(), team_id: teamId },
    api_app_id: 'A0TFTSR',
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: view.id },
    trigger_id: newTriggerId(),
    view: { ...view, team_id: teamId, state: { values: opts.values ?? {} } },
    actions: [{ block_id: 'x', action_ts: `${Date.now() / 1000}`, ...action }],
  });
  expect(res.status).toBe(200);
  await h.idle();
  return res;
}

/** "Edit an earlier step" → the view after the views.update the app made. */
export async function backTo(h: SlackHarness, view: View, step: number): Promise<View> {
  const before = h.fake.callsTo('views.update').length;
  await viewAction(h, view, {
    type: 'static_select',
    action_id: 'tftsr.whys.back',
    selected_option: { text: { type: 'plain_text', text: `Why ${step}` }, value: String(step) },
  });
  const call = h.fake.callsTo('views.update')[before];
  expect(call?.response?.ok).toBe(true);
  return call!.response!.view as View;
}

export const metaOf = (view: View) => JSON.parse(view.private_metadata) as { i: string; s: number };
export const short = (issue: Issue) => shortId(issue.id);
