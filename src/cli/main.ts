#!/usr/bin/env node
import { registerExportCommand } from './commands/export.js';
import { registerRedactCommand } from './commands/redact.js';
import { processIo, runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2), processIo, [
  (program) => registerRedactCommand(program),
  registerExportCommand,
]);
