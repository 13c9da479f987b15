# syntax=docker/dockerfile:1
# TFTSR for Slack. Build: docker build -t tftsr .
# Run (Socket Mode): docker run -e SLACK_BOT_TOKEN -e SLACK_APP_TOKEN -v tftsr-data:/data tftsr
# Run (HTTP mode):   docker run -e SLACK_BOT_TOKEN -e SLACK_SIGNING_SECRET -p 3000:3000 -v tftsr-data:/data tftsr
# Back up the volume's .dbkey separately (or pass TFTSR_DB_KEY): without the key the database cannot be opened.

ARG NODE_IMAGE=node:20-bookworm-slim

# Toolchain for the native modules: better-sqlite3-multiple-ciphers (SQLCipher) compiles from source, and the
# package's own install script builds the native redaction engine (binding.gyp, C linked against PCRE2).
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libpcre2-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Every npm ci runs scripts/build-native.mjs (install: binding.gyp + native/ -> build/Release/tftsr_redact.node, against
# this image's Node headers in /usr/local/include/node, no download; a failed build fails npm ci) and then
# scripts/prepare.mjs (without sources or TypeScript it skips the TypeScript build: the layers below).
COPY package.json package-lock.json binding.gyp ./
COPY scripts ./scripts
COPY native ./native

# Compile TypeScript with the full dev toolchain.
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only; native modules (SQLCipher driver, redaction engine) built for this Node and libc.
FROM toolchain AS deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    TFTSR_DATA_DIR=/data \
    PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# dist/src/redact/native.js loads it from three levels up: /app/build/Release/tftsr_redact.node.
COPY --from=deps /app/build/Release/tftsr_redact.node ./build/Release/tftsr_redact.node
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
# The addon links libpcre2-8.so.0 (libpcre2-8-0). The Debian base already has it: grep is Essential and pre-depends on
# libpcre2-8-0, so no apt-get here. Loading the addon now fails the image build if that ever stops being true (another
# NODE_IMAGE) instead of the app quietly falling back to the JavaScript engine.
RUN node -e "require('/app/build/Release/tftsr_redact.node')"
# The data dir holds the encrypted database and (without TFTSR_DB_KEY) its generated key: owned by the app user only.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# HTTP mode serves /healthz (200 while the store answers). Socket Mode has no HTTP server: the check passes and the
# process exiting on failure is what the orchestrator sees.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "if (process.env.SLACK_APP_TOKEN) process.exit(0); fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
