// The native redaction scanner parses untrusted logs in C: this builds it once more with AddressSanitizer and
// UndefinedBehaviorSanitizer (into a temporary directory; build/Release is left alone) and runs the redaction suites
// that drive it hardest against that build. Any out-of-bounds read, use after free or undefined behaviour aborts the
// run. Part of `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeGypScript, rebuildArgs } from './lib/node-gyp.mjs';

const SUITES = [
  'test/redact/native.test.ts',
  'test/redact/equivalence.test.ts',
  'test/redact/pathological.test.ts',
  'test/redact/stream.test.ts',
];
const SANITIZE = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all'];

function fail(message) {
  process.stderr.write(`\nnative-sanitizers: ${message}\n`);
  process.exit(1);
}

/** The runtime library gcc would link for a sanitizer, or undefined when this toolchain has none. */
function sanitizerRuntime(name) {
  try {
    const file = execFileSync('gcc', [`-print-file-name=${name}`], { encoding: 'utf8' }).trim();
    return path.isAbsolute(file) && existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

const asan = sanitizerRuntime('libasan.so');
const ubsan = sanitizerRuntime('libubsan.so');
if (!asan || !ubsan) fail('gcc with libasan and libubsan is needed (Debian: apt-get install gcc, which brings them)');
const gyp = nodeGypScript();
if (gyp === undefined) fail('node-gyp not found: run this through npm (npm test / npm run test:sanitizers)');

const dir = mkdtempSync(path.join(os.tmpdir(), 'tftsr-sanitizers-'));
try {
  const binding = JSON.parse(readFileSync('binding.gyp', 'utf8'));
  const target = binding.targets[0];
  target.cflags = ['-O1', '-g', '-fno-omit-frame-pointer', ...SANITIZE, ...target.cflags.filter((f) => !/^-O/.test(f))];
  target.libraries = [...target.libraries, ...SANITIZE];
  writeFileSync(path.join(dir, 'binding.gyp'), JSON.stringify(binding, null, 2));
  cpSync('native', path.join(dir, 'native'), { recursive: true });
  const build = spawnSync(process.execPath, rebuildArgs(gyp), { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const addon = path.join(dir, 'build/Release', `${target.target_name}.node`);
  if (build.status !== 0 || !existsSync(addon)) fail('the sanitizer build of the native scanner failed (see above)');

  const env = {
    ...process.env,
    LD_PRELOAD: [asan, ubsan, process.env.LD_PRELOAD].filter(Boolean).join(':'),
    // Node's own allocations are not ours to judge (leaks at exit); everything else aborts at the first report.
    ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1',
    UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
    TFTSR_REDACT_ADDON: addon,
  };
  // The suites assert that the native engine is active; under this env that is the sanitizer build.
  const vitest = path.join('node_modules', 'vitest', 'vitest.mjs');
  const run = spawnSync(process.execPath, [vitest, 'run', ...SUITES], { env, stdio: 'inherit' });
  if (run.status !== 0)
    fail(`the redaction suites failed against the sanitizer build (exit ${run.status ?? run.signal})`);
  console.log(`native-sanitizers: ${SUITES.length} suites clean under ASan + UBSan`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
