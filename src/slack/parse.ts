import { SEVERITIES, type Severity, STATUSES, type Status } from '../store/index.js';

/** What `/tftsr <text>` asked for. Pure parsing: no store, no Slack calls. */
export type ParsedCommand =
  | { kind: 'help' }
  | {
      kind: 'new';
      title: string;
      /** Present → create at once (quick form); absent → open the modal with the title prefilled. */
      severity?: Severity;
      category?: string;
      tags: string[];
      assignee?: string;
    }
  | { kind: 'list'; scope: 'active' | 'all' | Status; severity?: Severity }
  | { kind: 'search'; words: string }
  | { kind: 'show'; fragment: string }
  | { kind: 'status'; status: Status; fragment?: string }
  | { kind: 'assign'; assignee: string | null; fragment?: string }
  | { kind: 'severity'; severity: Severity; fragment?: string }
  | { kind: 'tag'; add: string[]; remove: string[]; fragment?: string }
  | { kind: 'error'; message: string };

const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const ID_FRAGMENT = /^(?:id:)?([0-9a-f]{4,8}|[0-9a-f]{8}-[0-9a-f-]{4,27})$/i;
const STATUS_ALIASES: Record<string, Status> = {
  open: 'open',
  reopen: 'open',
  investigating: 'investigating',
  investigate: 'investigating',
  resolved: 'resolved',
  resolve: 'resolved',
  closed: 'closed',
  close: 'closed',
};

function asSeverity(value: string): Severity | undefined {
  const v = value.toLowerCase();
  const aliases: Record<string, Severity> = { crit: 'critical', med: 'medium', sev1: 'critical', sev2: 'high' };
  return (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : aliases[v];
}

const severityHelp = `Severity is one of ${SEVERITIES.join(', ')}.`;

function splitTags(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((t) => t.replace(/^#/, '').trim())
    .filter(Boolean);
}

function idFragment(token: string): string | undefined {
  return ID_FRAGMENT.exec(token)?.[1];
}

/** Unescapes what Slack escaped in command text (`&amp;` → `&`), keeping `<…>` entities for mention parsing. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function parseCommand(raw: string): ParsedCommand {
  const text = unescapeSlack(raw).trim();
  if (text === '') return { kind: 'help' };
  const [head = '', ...rest] = text.split(/\s+/);
  const sub = head.toLowerCase();
  const args = rest;
  const argText = text.slice(head.length).trim();

  switch (sub) {
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'new':
    case 'create':
      return parseNew(args);
    case 'list':
    case 'ls':
      return parseList(args);
    case 'search':
    case 'find':
      return argText
        ? { kind: 'search', words: argText }
        : { kind: 'error', message: 'Usage: `/tftsr search <words>`' };
    case 'show': {
      const fragment = args[0] ? idFragment(args[0]) : undefined;
      return fragment
        ? { kind: 'show', fragment }
        : { kind: 'error', message: 'Usage: `/tftsr show <id>` — the 8-character id on the issue card.' };
    }
    case 'status':
      return parseStatus(args);
    case 'assign':
      return parseAssign(args);
    case 'unassign':
      return withFragment({ kind: 'assign', assignee: null }, args, 'Usage: `/tftsr unassign [id]`');
    case 'severity':
    case 'sev':
      return parseSeverity(args);
    case 'tag':
    case 'tags':
      return parseTag(args);
    default:
      return { kind: 'error', message: `Unknown subcommand “${truncateToken(head)}”. Try \`/tftsr help\`.` };
  }
}

function truncateToken(token: string): string {
  return token.length > 30 ? `${token.slice(0, 29)}…` : token;
}

type Targeted = Extract<ParsedCommand, { kind: 'status' | 'assign' | 'severity' }>;

/** The tokens left after the verb's argument must be nothing, or one issue id. */
function withFragment(command: Targeted, leftovers: string[], usage: string): ParsedCommand {
  if (leftovers.length === 0) return command;
  const fragment = leftovers.length === 1 ? idFragment(leftovers[0]!) : undefined;
  return fragment ? { ...command, fragment } : { kind: 'error', message: usage };
}

function parseNew(args: string[]): ParsedCommand {
  const titleWords: string[] = [];
  let severity: Severity | undefined;
  let category: string | undefined;
  let assignee: string | undefined;
  const tags: string[] = [];
  for (const token of args) {
    const mentionMatch = USER_MENTION.exec(token);
    const m = /^(sev|severity|cat|category|tag|tags):(.*)$/i.exec(token);
    if (mentionMatch) {
      assignee = mentionMatch[1];
    } else if (m) {
      const key = m[1]!.toLowerCase();
      const value = m[2]!;
      if (key.startsWith('sev')) {
        severity = asSeverity(value);
        if (!severity) return { kind: 'error', message: `Unknown severity “${truncateToken(value)}”. ${severityHelp}` };
      } else if (key.startsWith('cat')) {
        category = value;
      } else {
        tags.push(...splitTags(value));
      }
    } else {
      titleWords.push(token);
    }
  }
  const title = titleWords.join(' ');
  if (severity && !title) {
    return { kind: 'error', message: 'A title is required: `/tftsr new <title> sev:high`' };
  }
  return {
    kind: 'new',
    title,
    tags,
    ...(severity ? { severity } : {}),
    ...(category ? { category } : {}),
    ...(assignee ? { assignee } : {}),
  };
}

function parseList(args: string[]): ParsedCommand {
  let scope: 'active' | 'all' | Status = 'active';
  let severity: Severity | undefined;
  for (const token of args) {
    const t = token.toLowerCase();
    const sev = /^(?:sev|severity):(.*)$/.exec(t);
    if (sev) {
      severity = asSeverity(sev[1]!);
      if (!severity) return { kind: 'error', message: `Unknown severity “${truncateToken(sev[1]!)}”. ${severityHelp}` };
    } else if (t === 'open' || t === 'active') scope = 'active';
    else if (t === 'all') scope = 'all';
    else if ((STATUSES as readonly string[]).includes(t)) scope = t as Status;
    else if (asSeverity(t)) severity = asSeverity(t);
    else return { kind: 'error', message: 'Usage: `/tftsr list [open|all|resolved|closed] [sev:high]`' };
  }
  return { kind: 'list', scope, ...(severity ? { severity } : {}) };
}

function parseStatus(args: string[]): ParsedCommand {
  const usage = `Usage: \`/tftsr status <${STATUSES.join('|')}> [id]\``;
  const index = args.findIndex((a) => STATUS_ALIASES[a.toLowerCase()]);
  if (index < 0) return { kind: 'error', message: usage };
  const status = STATUS_ALIASES[args[index]!.toLowerCase()]!;
  return withFragment({ kind: 'status', status }, args.toSpliced(index, 1), usage);
}

function parseSeverity(args: string[]): ParsedCommand {
  const usage = `Usage: \`/tftsr severity <${SEVERITIES.join('|')}> [id]\``;
  const index = args.findIndex((a) => asSeverity(a));
  if (index < 0) return { kind: 'error', message: usage };
  return withFragment({ kind: 'severity', severity: asSeverity(args[index]!)! }, args.toSpliced(index, 1), usage);
}

function parseAssign(args: string[]): ParsedCommand {
  const usage = 'Usage: `/tftsr assign @user [id]` (or `/tftsr unassign [id]`)';
  const index = args.findIndex((a) => USER_MENTION.test(a) || /^(none|nobody)$/i.test(a));
  if (index < 0) return { kind: 'error', message: usage };
  const assignee = USER_MENTION.exec(args[index]!)?.[1] ?? null;
  return withFragment({ kind: 'assign', assignee }, args.toSpliced(index, 1), usage);
}

function parseTag(args: string[]): ParsedCommand {
  const usage = 'Usage: `/tftsr tag <tag…> [-tag…] [id:<id>]`';
  const add: string[] = [];
  const remove: string[] = [];
  let fragment: string | undefined;
  for (const [i, token] of args.entries()) {
    // A trailing 8-hex token or an explicit id: token is the issue id, not a tag.
    const isLast = i === args.length - 1;
    if (/^id:/i.test(token) || (isLast && /^[0-9a-f]{8}$/i.test(token) && args.length > 1)) {
      fragment = idFragment(token);
      if (!fragment) return { kind: 'error', message: usage };
      continue;
    }
    for (const tag of splitTags(token)) {
      if (tag.startsWith('-') && tag.length > 1) remove.push(tag.slice(1));
      else add.push(tag);
    }
  }
  if (add.length === 0 && remove.length === 0) return { kind: 'error', message: usage };
  return { kind: 'tag', add, remove, ...(fragment ? { fragment } : {}) };
}
