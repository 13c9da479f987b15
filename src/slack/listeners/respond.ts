import type { RespondFn } from '@slack/bolt';
import type { Notify } from '../context.js';

/** Answers only the person who pressed the button or ran the shortcut, through the payload's response_url. */
export function ephemeralNotify(respond: RespondFn): Notify {
  return async (m) => {
    await respond({ response_type: 'ephemeral', replace_original: false, text: m.text });
  };
}

/** What a person sees when a button's payload does not parse: nothing of it is echoed. */
export const INCOMPLETE_BUTTON = 'That button press arrived incomplete; please try again.';

/** An action_id matcher for exactly these ids (dots in ids are literal). */
export function actionIdPattern(ids: readonly string[]): RegExp {
  return new RegExp(`^(${ids.map((a) => a.replace(/\./g, '\\.')).join('|')})$`);
}
