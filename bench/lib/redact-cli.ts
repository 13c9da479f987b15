/**
 * Standalone entry for `tftsr redact` (the benchmark and the CLI tests run it as a real process):
 * `node --import tsx bench/lib/redact-cli.ts redact <file|-> [options]`. Mirrors how src/cli/main.ts reports errors.
 */
import { Command, CommanderError } from 'commander';
import { registerRedactCommand } from '../../src/cli/commands/redact.js';

const program = new Command('tftsr').exitOverride();
registerRedactCommand(program);
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode || 2;
  else {
    process.stderr.write(`tftsr: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
