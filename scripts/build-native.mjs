// npm runs `install` on every local `npm ci` / `npm install` (also with --omit=dev): build the native redaction engine
// (binding.gyp -> build/Release/tftsr_redact.node, C + PCRE2) with npm's bundled node-gyp. A failed build fails the
// install: the engine would otherwise fall back to JavaScript silently, which production must not do unnoticed.
//
// node-gyp compiles against the running Node's own headers (<prefix>/include/node, shipped by Debian's nodejs and the
// official node images) via --nodedir, so it never tries to download them (there may be no internet but the registry).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { nodeGypScript, rebuildArgs } from './lib/node-gyp.mjs';

const ADDON = 'build/Release/tftsr_redact.node';

function fail(message) {
  process.stderr.write(`\nbuild-native: ${message}\n`);
  process.exit(1);
}

if (!existsSync('binding.gyp')) fail('binding.gyp is missing: run this from the package root (npm ci does)');

const gyp = nodeGypScript();
if (gyp === undefined) fail('node-gyp not found: run it through npm (npm ci, or npm rebuild) which provides it');

const run = spawnSync(process.execPath, rebuildArgs(gyp), { stdio: 'inherit' });
if (run.status !== 0 || !existsSync(ADDON)) {
  const pcre2 = ['/usr/include/pcre2.h', '/usr/local/include/pcre2.h'].some((f) => existsSync(f));
  fail(
    `building ${ADDON} failed${run.error ? ` (${run.error.message})` : ''}; it needs a C compiler, make, python3 and ` +
      `PCRE2's headers${pcre2 ? '' : ' (pcre2.h is missing)'}: on Debian/Ubuntu apt-get install libpcre2-dev`,
  );
}
console.log(`build-native: built ${ADDON}`);
