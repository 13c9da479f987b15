import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALLBACK, COMMAND } from '../../src/slack/ids.js';

const manifest = fs.readFileSync(path.resolve(import.meta.dirname, '../../manifest.yml'), 'utf8');
/** The list items under a `key:` line (the manifest is small; no YAML dependency for this). */
function listUnder(key: string): string[] {
  const lines = manifest.split('\n');
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  const indent = lines[start]!.search(/\S/);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (line.search(/\S/) <= indent) break;
    const item = /^\s*- (?:\w+: )?(.+)$/.exec(line);
    if (item && line.search(/\S/) === indent + 2) items.push(item[1]!.trim());
  }
  return items;
}

describe('manifest.yml', () => {
  it('declares exactly the command, shortcut, events and scopes the code uses', () => {
    expect(manifest).toContain(`command: ${COMMAND}`);
    expect(manifest).toContain(`callback_id: ${CALLBACK.addEvidence}`);
    expect(listUnder('bot').sort()).toEqual([
      'channels:history',
      'chat:write',
      'commands',
      'files:read',
      'files:write',
      'groups:history',
    ]);
    expect(listUnder('bot_events')).toEqual(['app_home_opened', 'file_shared', 'message.channels', 'message.groups']);
  });

  it('has Socket Mode, interactivity and App Home on', () => {
    expect(manifest).toMatch(/socket_mode_enabled: true/);
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(manifest).toMatch(/home_tab_enabled: true/);
    expect(manifest).toMatch(/should_escape: true/);
  });
});
