import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../context.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * The card's "Start 5 Whys" and "Generate RCA" buttons until their features land (issues 6 and 7): without a
 * listener Bolt would leave the click unacknowledged and Slack would show an error. Remove an entry when its real
 * listener is registered.
 */
export function registerPendingFeatures(app: App, _ctx: AppContext): void {
  const pending: Record<string, string> = {};
  for (const [actionId, feature] of Object.entries(pending)) {
    app.action({ type: 'block_actions', action_id: actionId }, async ({ ack, respond }: Args) => {
      await ack();
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `${feature} is not available in this version of TFTSR yet.`,
      }).catch(() => undefined);
    });
  }
}
