// npm runs `install` on every local `npm ci` / `npm install` (also with --omit=dev): build the native redaction engine
// (binding.gyp -> build/Release/tftsr_redact.node, C + PCRE2) with npm's bundled node-gyp. A failed build fails the
// install: the engine would otherwise fall back to JavaScript silently, which production must not do unnoticed.
//
// node-gyp compiles against the running Node's own headers (<prefix>/include/node, shipped by Debian's nodejs and the
// official node images) via --nodedir, so it never tries to download them (there may be no internet but the registry).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ADDON = 'build/Release/tftsr_redact.node';

function fail(message) {
  process.stderr.write(`\nbuild-native: ${message}\n`);
  process.exit(1);
}

/** npm sets npm_config_node_gyp (its bundled node-gyp) for lifecycle scripts; outside npm, look next to this node. */
function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.resolve(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  return candidates.find((file) => file !== undefined && file !== '' && existsSync(file));
}

/** The running node's install prefix when its headers there match its version, else undefined. */
function localNodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  try {
    const header = readFileSync(path.join(prefix, 'include/node/node_version.h'), 'utf8');
    const part = (name) => header.match(new RegExp(`#define ${name} (\\d+)`))?.[1];
    const version = `v${part('NODE_MAJOR_VERSION')}.${part('NODE_MINOR_VERSION')}.${part('NODE_PATCH_VERSION')}`;
    const complete = version === process.version && existsSync(path.join(prefix, 'include/node/common.gypi'));
    return complete ? prefix : undefined;
  } catch {
    return undefined;
  }
}

if (!existsSync('binding.gyp')) fail('binding.gyp is missing: run this from the package root (npm ci does)');

const gyp = nodeGypScript();
if (gyp === undefined) fail('node-gyp not found: run it through npm (npm ci, or npm rebuild) which provides it');

const args = [gyp, 'rebuild'];
// An explicit nodedir (npm config nodedir, --nodedir) wins; otherwise the running node's own headers.
const nodedir = process.env.npm_config_nodedir || localNodeDir();
if (nodedir !== undefined) args.push(`--nodedir=${nodedir}`);

const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (run.status !== 0 || !existsSync(ADDON)) {
  const pcre2 = ['/usr/include/pcre2.h', '/usr/local/include/pcre2.h'].some((f) => existsSync(f));
  fail(
    `building ${ADDON} failed${run.error ? ` (${run.error.message})` : ''}; it needs a C compiler, make, python3 and ` +
      `PCRE2's headers${pcre2 ? '' : ' (pcre2.h is missing)'}: on Debian/Ubuntu apt-get install libpcre2-dev`,
  );
}
console.log(`build-native: built ${ADDON}`);
