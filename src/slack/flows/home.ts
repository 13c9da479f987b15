import { homeView } from '../blocks/home.js';
import type { AppContext, WebClient } from '../context.js';

/** Publishes a user's App Home: open issues by severity, their own open issues, recent RCAs. */
export async function publishHome(ctx: AppContext, client: WebClient, userId: string): Promise<void> {
  const view = homeView(
    {
      userId,
      open: ctx.issues.list({ scope: 'active', limit: 40 }),
      mine: ctx.issues.list({ scope: 'active', assignedTo: userId, limit: 20 }),
      recentRcas: ctx.issues.recentDocuments(5),
    },
    (id) => ctx.issues.threadOf(id),
    ctx.render(),
  );
  await client.views.publish({ user_id: userId, view });
}
