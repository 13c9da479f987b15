import fs from 'node:fs';
import type { Command } from 'commander';
import type { OptionalDocFieldsInput } from '../../docs/index.js';
import type { Issue, Store } from '../../store/index.js';
import { CliError } from '../program.js';

/** The full id, or a fragment people copy from Slack (the short id is the last 8 hex digits). */
function resolveIssue(store: Store, idOrFragment: string, shortId: (id: string) => string): Issue {
  const exact = store.issues.get(idOrFragment);
  if (exact) return exact;
  const matches = store.issues.findByIdFragment(idOrFragment, 6);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new CliError(
      `issue id "${idOrFragment}" is ambiguous: ${matches.map((i) => shortId(i.id)).join(', ')}; give more digits`,
    );
  }
  throw new CliError(`no issue with id "${idOrFragment}"`);
}

async function readFieldsFile(file: string): Promise<OptionalDocFieldsInput> {
  const { OptionalDocFieldsSchema } = await import('../../docs/index.js');
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read --fields file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new CliError(`--fields file ${file} is not valid JSON`);
  }
  const parsed = OptionalDocFieldsSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new CliError(`--fields file ${file}: ${first?.path.map(String).join('.') || 'value'}: ${first?.message}`);
  }
  return parsed.data;
}

/**
 * `tftsr export <issue-id> [--postmortem] [--fields file.json]`: generates the RCA (or postmortem) exactly as Slack
 * would post it and prints it to stdout. It is also stored and audited (`doc_generate`, user `local`) like any
 * generation: text that leaves the store is recorded, and Slack's `documents` view shows the latest version.
 */
export function registerExportCommand(program: Command, openStoreFromEnv: () => Promise<Store>): void {
  program
    .command('export')
    .description('print the RCA (or --postmortem) of an issue as Markdown; the document is also stored')
    .argument('<issue-id>', 'full issue id or its short id (last 8 hex digits)')
    .option('--postmortem', 'the blameless postmortem instead of the RCA')
    .option('--fields <file>', 'JSON file with the optional fields (impact, lessons_learned, action_items, …)')
    .action(async function (this: Command, issueId: string, opts: { postmortem?: boolean; fields?: string }) {
      // Loaded here, not at the top: `tftsr redact` must not pay for the document services at start-up.
      const [{ createRedactor, redactConfigFromSettings }, { generateDocument }, { shortId }] = await Promise.all([
        import('../../redact/index.js'),
        import('../../services/documents.js'),
        import('../../store/index.js'),
      ]);
      const fields = opts.fields ? await readFieldsFile(opts.fields) : undefined;
      const store = await openStoreFromEnv();
      try {
        const issue = resolveIssue(store, issueId.trim(), shortId);
        const redactor = createRedactor(redactConfigFromSettings((key) => store.settings.get(key)));
        const { markdown } = generateDocument(store, {
          issueId: issue.id,
          docType: opts.postmortem ? 'postmortem' : 'rca',
          userId: 'local',
          fields,
          redact: (text) => (text ? redactor.redactText(text).text : text),
        });
        const write = this.configureOutput().writeOut ?? ((text: string) => process.stdout.write(text));
        write(markdown);
      } finally {
        store.close();
      }
    });
}
