import { COMMAND } from '../ids.js';

export function usageText(): string {
  const c = COMMAND;
  return [
    '*TFTSR* — troubleshooting and root-cause analysis, one thread per issue.',
    `• \`${c} new [title]\` — open the new-issue form`,
    `• \`${c} new <title> sev:high [cat:db] [tag:x] [@user]\` — create at once`,
    `• \`${c} list [open|all|resolved|closed] [sev:critical]\` — issues, with links to their threads`,
    `• \`${c} search <words>\` — full-text search (top 10)`,
    `• \`${c} show <id>\` — one issue (the 8-character id on its card)`,
    `• \`${c} status <investigating|resolved|closed|open> [id]\``,
    `• \`${c} assign @user [id]\`, \`${c} severity <critical|high|medium|low> [id]\``,
    `• \`${c} tag <tag…> [-tag…] [id]\``,
    `• \`${c} rca [id]\`, \`${c} postmortem [id]\` — a short form, then the document is posted in the thread (and attached as .md)`,
    `• \`${c} whys [id]\` — the 5 Whys, one step at a time (resumable)`,
    `• \`${c} ask [id:<id>] <question>\` — ask the AI assistant (redacted context; answer in the thread)`,
    'Without an id, a command applies to the channel’s single active issue.',
  ].join('\n');
}
