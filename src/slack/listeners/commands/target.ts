import type { IssueTarget } from '../../../services/issues.js';
import { ambiguousMessage } from '../../blocks/issue-lists.js';
import type { AppContext, Notify } from '../../context.js';
import { escapeMrkdwn } from '../../text.js';

/** The ephemeral answer when a command's issue could not be pinned down. */
export async function answerTargetProblem(
  ctx: AppContext,
  notify: Notify,
  target: Exclude<IssueTarget, { kind: 'found' }>,
  usage: string,
): Promise<void> {
  switch (target.kind) {
    case 'not_found':
      await notify({
        text: `No issue has an id matching \`${escapeMrkdwn(target.fragment)}\`. \`/tftsr list all\` shows ids.`,
      });
      return;
    case 'none_active':
      await notify({
        text: `This channel has no open issue. Add the issue id (\`${usage}\`), or create one with \`/tftsr new\`.`,
      });
      return;
    case 'ambiguous':
      await notify(ambiguousMessage(target.issues, (id) => ctx.issues.threadOf(id), ctx.render(), usage));
      return;
  }
}
