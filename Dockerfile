# syntax=docker/dockerfile:1
#
# One image per Cairn service, all from this file:
#   docker build --build-arg APP=api         -t cairn/api .
#   docker build --build-arg APP=repo-poller -t cairn/repo-poller .
#   docker build --build-arg APP=reconciler  -t cairn/reconciler .
# The three share one lockfile, one set of libraries and one production node_modules, so
# every layer up to `nx build` is built once and shared, and the node_modules layer of the
# three images is identical (pulled once per node).

# Production dependencies only: what the bundles require at run time. No install scripts:
# none is needed to run, and one (@scarf/scarf, via swagger-ui) only reports analytics.
FROM node:20-bookworm AS dependencies
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# Everything needed to build, then one service bundled by webpack into dist/apps/$APP.
FROM node:20-bookworm AS build
WORKDIR /src
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY nx.json tsconfig.base.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
# Declared this late so the layers above are shared by all three images.
ARG APP
RUN case "$APP" in \
      api|repo-poller|reconciler) ;; \
      *) echo "build with --build-arg APP=api|repo-poller|reconciler (got '$APP')" >&2; exit 1 ;; \
    esac
# The bundle compiles the libraries from source (tsconfig paths), so their own builds, and
# with them the test tooling under tools/, are not needed: only the app's webpack target.
RUN npx nx build "$APP" --excludeTaskDependencies --outputStyle=static

# Run time: distroless Node.js 20 (no shell, no package manager), as the image's nonroot
# user. No git: isomorphic-git is pure JavaScript.
FROM gcr.io/distroless/nodejs20-debian12:nonroot
ARG APP
LABEL org.opencontainers.image.title="cairn/${APP}" \
      org.opencontainers.image.description="Cairn ${APP}: a GitOps control plane service" \
      org.opencontainers.image.licenses="Apache-2.0"
# Everything below is owned by root, so the service cannot modify its own code.
USER 0:0
WORKDIR /app
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
COPY --from=dependencies /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/${APP}/ ./
# NestJS 12 is ESM-only and the bundle loads it through require(esm), which needs Node.js
# 20.19 or later: fail the build here, not the pod at start.
RUN ["/nodejs/bin/node", "-e", "require('@nestjs/core')"]
# The image's nonroot user, numeric so that Kubernetes can verify runAsNonRoot.
USER 65532:65532
# The image's entrypoint is node.
CMD ["main.js"]
