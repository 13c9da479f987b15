import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { usageText } from '../../blocks/help.js';
import type { AppContext } from '../../context.js';
import { guarded } from '../../flows/errors.js';
import { COMMAND } from '../../ids.js';
import { parseCommand } from '../../parse.js';
import { CommandPayloadSchema } from '../payloads.js';
import { ephemeralNotify } from '../respond.js';
import { handleAskCommand } from './ask.js';
import { handleChange } from './change.js';
import { handleDocCommand, parseDocCommand } from './doc.js';
import { handleNew } from './new.js';
import { handleQuery } from './query.js';
import { handleWhysCommand, subcommandOf } from './whys.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/tftsr <sub>`: pure answers (usage, parse errors) go in the ack itself; everything else acks first. */
export function registerTftsrCommand(app: App, ctx: AppContext): void {
  app.command(COMMAND, async ({ command, ack, respond, client }: Args) => {
    const payload = CommandPayloadSchema.safeParse(command);
    if (!payload.success) {
      await ack({ response_type: 'ephemeral', text: 'That command arrived incomplete; please try again.' });
      return;
    }
    const cmd = payload.data;
    const doc = parseDocCommand(cmd.text);
    if (doc) return handleDocCommand(ctx, { cmd, parsed: doc, ack, respond, client });
    const sub = subcommandOf(cmd.text);
    if (sub === 'whys' || sub === 'ask') {
      const notify = ephemeralNotify(respond, { withBlocks: true });
      const handle = sub === 'whys' ? handleWhysCommand : handleAskCommand;
      return handle(ctx, { cmd, ack, client, notify });
    }
    const parsed = parseCommand(cmd.text);
    if (parsed.kind === 'help') {
      await ack({ response_type: 'ephemeral', text: usageText() });
      return;
    }
    if (parsed.kind === 'error') {
      await ack({ response_type: 'ephemeral', text: parsed.message });
      return;
    }
    const notify = ephemeralNotify(respond, { withBlocks: true });
    switch (parsed.kind) {
      case 'new':
        return handleNew(ctx, { cmd, parsed, ack, client, notify });
      case 'list':
      case 'search':
      case 'show':
        await ack();
        return guarded(ctx.logger, notify, 'command', () =>
          ctx.work.run(() => handleQuery(ctx, { cmd, parsed, notify })),
        );
      default:
        await ack();
        return guarded(ctx.logger, notify, 'command', () =>
          ctx.work.run(() => handleChange(ctx, { cmd, parsed, client, notify })),
        );
    }
  });
}
