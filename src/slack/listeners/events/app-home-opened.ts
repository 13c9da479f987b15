import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { slackErrorCode } from '../../flows/errors.js';
import { publishHome } from '../../flows/home.js';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

const EnvelopeSchema = z.object({ event_id: z.string().min(1) });
const EventSchema = z.object({ user: z.string().min(1), tab: z.string().optional() });

/** App Home (Bolt acks events itself). Slack retries events; each event_id is processed once. */
export function registerAppHomeOpened(app: App, ctx: AppContext): void {
  app.event('app_home_opened', async ({ event, body, client }: Args) => {
    const ev = EventSchema.safeParse(event);
    const envelope = EnvelopeSchema.safeParse(body);
    if (!ev.success || !envelope.success || (ev.data.tab && ev.data.tab !== 'home')) return;
    try {
      await ctx.deliveries.once(`event:${envelope.data.event_id}`, 'app_home_opened', () =>
        publishHome(ctx, client, ev.data.user),
      );
    } catch (err) {
      ctx.logger.warn({ slack_error: slackErrorCode(err), user_id: ev.data.user }, 'App Home publish failed');
    }
  });
}
