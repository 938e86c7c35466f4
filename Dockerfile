# repin's container image: the App (`node dist/app/main.js`), non-root, state in /data (SQLite) or
# in PostgreSQL when REPIN_DATABASE_URL is set. The base is written by tag: repin pins its own
# digest (.github/repin.yml has `pin: true`) and keeps it current.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
# `npm ci` runs `prepare` (the TypeScript build into dist/); the dev dependencies go afterwards.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    REPIN_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json app.yml ./
COPY schema ./schema
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: repin finishes or hands back its job within REPIN_SHUTDOWN_GRACE (25 s), then exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/app/main.js"]
