/** The `error` code of a Slack Web API platform error (`{ok:false, error}`), or the kind of failure otherwise. */
export function slackErrorCode(err: unknown): string {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number; original?: { message?: string } };
  if (e?.code === 'slack_webapi_platform_error' && e.data?.error) return e.data.error;
  if (e?.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  if (e?.code === 'slack_webapi_http_error') return `http_${e.statusCode ?? 'error'}`;
  if (e?.code === 'slack_webapi_request_error') return 'request_failed';
  return 'internal_error';
}

/** What to tell the person when a Slack call failed; never includes tokens or message text. */
export function explainSlackError(code: string, channelId?: string): string {
  const where = channelId ? `<#${channelId}>` : 'this channel';
  switch (code) {
    case 'not_in_channel':
      return `I am not a member of ${where}, so I cannot post there. Invite me with \`/invite @TFTSR\` (or mention me and choose “Add to channel”), then try again.`;
    case 'channel_not_found':
      return `I cannot see ${where}. If it is a private channel or a DM, invite me with \`/invite @TFTSR\` first.`;
    case 'is_archived':
      return `${where} is archived; I cannot post there.`;
    case 'restricted_action':
    case 'cant_post_to_channel':
      return `Posting in ${where} is restricted for apps.`;
    case 'ratelimited':
      return 'Slack is rate-limiting me right now. Nothing was lost; please try again in a minute.';
    default:
      return code.startsWith('http_5') || code === 'request_failed'
        ? 'Slack did not answer properly. Nothing was lost; please try again in a moment.'
        : `Slack refused the request (\`${code}\`). Please try again; if it keeps failing, tell your TFTSR admin.`;
  }
}

/**
 * Runs the post-ack part of a request; an unexpected failure is logged (error name only) and the person is told,
 * instead of the click or command silently doing nothing. Store changes are transactions, so nothing half-applied.
 */
export async function guarded(
  log: { error(obj: object, msg: string): void },
  notify: (m: { text: string }) => Promise<void>,
  what: string,
  fn: () => Promise<unknown>,
): Promise<void> {
  try {
    await fn();
  } catch (err) {
    log.error({ err_name: (err as Error)?.name, slack_error: slackErrorCode(err), what }, 'request failed after ack');
    await notify({ text: `Sorry, that ${what} failed and nothing was changed. Please try again.` }).catch(
      () => undefined,
    );
  }
}
