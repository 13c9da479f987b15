import type { RespondFn } from '@slack/bolt';
import type { Notify } from '../context.js';

/**
 * Answers only the person who pressed the button or ran the command, through the payload's response_url; with
 * `withBlocks` (commands) a message's blocks are sent too, otherwise its text alone.
 */
export function ephemeralNotify(respond: RespondFn, opts: { withBlocks?: boolean } = {}): Notify {
  return async (m) => {
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: m.text,
      ...(opts.withBlocks && m.blocks ? { blocks: m.blocks as never } : {}),
    });
  };
}

/** What a person sees when a button's payload does not parse: nothing of it is echoed. */
export const INCOMPLETE_BUTTON = 'That button press arrived incomplete; please try again.';

/** An action_id matcher for exactly these ids (dots in ids are literal). */
export function actionIdPattern(ids: readonly string[]): RegExp {
  return new RegExp(`^(${ids.map((a) => a.replace(/\./g, '\\.')).join('|')})$`);
}
