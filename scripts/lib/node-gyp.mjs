// How this package runs node-gyp: npm's bundled copy, against the running Node's own headers (no download).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** npm sets npm_config_node_gyp (its bundled node-gyp) for lifecycle scripts; outside npm, look next to this node. */
export function nodeGypScript() {
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

/** `node-gyp rebuild` arguments: an explicit nodedir (npm config, --nodedir) wins, else the running node's headers. */
export function rebuildArgs(gyp) {
  const args = [gyp, 'rebuild'];
  const nodedir = process.env.npm_config_nodedir || localNodeDir();
  if (nodedir !== undefined) args.push(`--nodedir=${nodedir}`);
  return args;
}
