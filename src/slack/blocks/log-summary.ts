import type { types } from '@slack/bolt';
import { formatBytes } from '../../services/logs.js';
import type { LogFile } from '../../store/index.js';
import { shortId } from '../../store/index.js';
import { ACTION, LOG_ACTION } from '../ids.js';
import { escapeMrkdwn, mention, truncate } from '../text.js';
import type { KnownBlock } from './common.js';

/**
 * Thread messages about one log: progress while it is downloaded and redacted, then the summary (or the error).
 * Everything shown comes from the redacted text or from counts: an original value never reaches these builders.
 */

export interface LogMessage {
  text: string;
  blocks: KnownBlock[];
}

/**
 * A file name as shown: redacted like any free text (a name can hold an address: `export-jane@corp.com.log`),
 * escaped, bounded.
 */
export function safeFileName(name: string, redact: (text: string) => string): string {
  return escapeMrkdwn(truncate(redact(name), 120));
}

/** `fileName` as shown: pass it through safeFileName first. */
export function progressMessage(fileName: string, bytes: number | null, stage?: string): LogMessage {
  const size = bytes != null ? ` (${formatBytes(bytes)})` : '';
  const text = `:hourglass_flowing_sand: Processing ${fileName}${size}…${stage ? ` ${stage}` : ''}`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] };
}

/** A refusal or failure, replacing the progress message (or posted alone). `message` never contains log content. */
export function errorMessage(message: string): LogMessage {
  const text = `:warning: ${escapeMrkdwn(truncate(message, 600))}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export interface SummaryInput {
  logFile: LogFile;
  /** Redacted (not rejected) spans per type. */
  countsByType: Record<string, number>;
  lines: number;
  /** From redactedExcerpt(): redacted text only. */
  excerpt: string;
  issueId: string;
  /** The free-text redactor (file names). */
  redact: (text: string) => string;
}

function spanLine(countsByType: Record<string, number>): string {
  const entries = Object.entries(countsByType).filter(([, n]) => n > 0);
  if (entries.length === 0) return 'Nothing needed redacting.';
  entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = entries.slice(0, 20).map(([type, n]) => `${n.toLocaleString('en-US')} ${escapeMrkdwn(type)}`);
  const more = entries.length > 20 ? ` · …and ${entries.length - 20} more types` : '';
  const total = entries.reduce((a, [, n]) => a + n, 0);
  return `*Redacted:* ${total.toLocaleString('en-US')} — ${shown.join(' · ')}${more}`;
}

/** A code block that cannot be closed early by the text inside it. */
function codeBlock(text: string): string {
  return `\`\`\`${escapeMrkdwn(text).replace(/```/g, 'ʼʼʼ')}\`\`\``;
}

function button(text: string, actionId: string, value: string, style?: 'primary'): types.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

export function summaryMessage(input: SummaryInput): LogMessage {
  const { logFile } = input;
  const name = safeFileName(logFile.file_name, input.redact);
  const size = formatBytes(logFile.file_size ?? 0);
  const lines = `${input.lines.toLocaleString('en-US')} line${input.lines === 1 ? '' : 's'}`;
  const encoding = logFile.content_encoding === 'gzip' ? ', gzip' : '';
  const head = `:page_facing_up: *${name}* · ${size}${encoding} · ${lines} · added by ${mention(logFile.uploaded_by, 'someone')}`;
  const review =
    logFile.redacted === 1
      ? ':white_check_mark: Redactions reviewed.'
      : 'Redactions not reviewed yet: *Review redactions* to release false positives.';
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: head } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(spanLine(input.countsByType), 2900) } },
  ];
  if (input.excerpt.trim()) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: codeBlock(truncate(input.excerpt, 2000)) } });
  }
  blocks.push(
    {
      type: 'actions',
      block_id: 'tftsr.log.actions',
      elements: [
        button('Review redactions', LOG_ACTION.review, logFile.id),
        button('Download redacted', LOG_ACTION.download, logFile.id),
        button('Start 5 Whys', ACTION.startWhys, input.issueId, 'primary'),
      ],
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${review} Log \`${shortId(logFile.id)}\` of issue \`${shortId(input.issueId)}\`; the original stays in TFTSR's encrypted store.`,
        },
      ],
    },
  );
  return { text: `Log ${name} attached (${size}, ${lines}).`, blocks };
}
