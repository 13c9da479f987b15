import type { CliIo } from '../../src/cli/program.js';

/** An in-memory CLI environment: what the command printed, and what it reads. */
export function memoryIo(env: NodeJS.ProcessEnv, stdin = ''): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    env: { LOG_LEVEL: 'silent', ...env },
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => stdin,
    out: () => out,
    err: () => err,
  };
}
