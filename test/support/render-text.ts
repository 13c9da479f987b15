/**
 * Renders Block Kit as plain text, roughly as Slack shows it: for the demo's transcript and for tests that read a
 * message the way a person would.
 */

type Node = Record<string, unknown>;

const textOf = (t: unknown): string =>
  typeof t === 'string'
    ? t
    : t && typeof t === 'object' && typeof (t as Node).text === 'string'
      ? String((t as Node).text)
      : '';

function element(el: Node): string {
  switch (el.type) {
    case 'button':
      return `[ ${textOf(el.text)} ]`;
    case 'static_select':
    case 'multi_static_select':
    case 'users_select':
    case 'multi_users_select':
    case 'checkboxes':
    case 'radio_buttons': {
      const options = ((el.options as Node[] | undefined) ?? []).map((o) => textOf(o.text));
      return `⟨${textOf(el.placeholder) || el.type}${options.length ? `: ${options.slice(0, 6).join(' / ')}` : ''}⟩`;
    }
    case 'plain_text_input':
      return `⟨${el.multiline ? 'multi-line ' : ''}text${el.initial_value ? `: ${String(el.initial_value)}` : ''}⟩`;
    case 'image':
      return '🖼';
    default:
      return textOf(el.text);
  }
}

export function renderBlocks(blocks: unknown[] | undefined, fallback = ''): string {
  if (!blocks?.length) return fallback;
  const out: string[] = [];
  for (const b of blocks as Node[]) {
    switch (b.type) {
      case 'header':
        out.push(`## ${textOf(b.text)}`);
        break;
      case 'section': {
        if (b.text) out.push(textOf(b.text));
        const fields = (b.fields as Node[] | undefined)?.map(textOf) ?? [];
        if (fields.length) out.push(fields.join('  ·  '));
        if (b.accessory) out.push(`  ${element(b.accessory as Node)}`);
        break;
      }
      case 'markdown':
        out.push(String(b.text ?? ''));
        break;
      case 'context':
        out.push(`  ${((b.elements as Node[] | undefined) ?? []).map((e) => textOf(e.text ?? e)).join('  ')}`);
        break;
      case 'actions':
        out.push(((b.elements as Node[] | undefined) ?? []).map(element).join(' '));
        break;
      case 'divider':
        out.push('────────');
        break;
      case 'input':
        out.push(`${textOf(b.label)}${b.optional ? ' (optional)' : ''}: ${element((b.element as Node) ?? {})}`);
        break;
      case 'rich_text':
        out.push(JSON.stringify(b.elements).slice(0, 200));
        break;
      default:
        break;
    }
  }
  return out.join('\n');
}

export function renderView(view: Node): string {
  const title = textOf(view.title);
  const submit = view.submit ? `  [ ${textOf(view.submit)} ]` : '';
  return [
    `┌─ ${title} ─`,
    ...renderBlocks(view.blocks as unknown[])
      .split('\n')
      .map((l) => `│ ${l}`),
    `└─${submit}`,
  ].join('\n');
}
