// npm runs `prepare` after every local `npm ci` / `npm install`. Build dist/ (so `npm start` and `npx tftsr` work right
// after install) when the compiler and the sources are there; skip quietly where they are not on purpose: a
// production install (`npm ci --omit=dev`) and the Dockerfile's dependency layer, which copies no sources.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('src') || !existsSync('tsconfig.build.json') || !existsSync('node_modules/typescript')) {
  console.log('prepare: no sources or no TypeScript compiler here; skipping the build');
} else {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
