# Roster: multi-stage image. Inside a container DATABASE_URL is required (no embedded database).
# Mirrors the README: `npm ci`, `npm run build`, `node dist/src/main.js`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/src ./src
COPY package.json ./
COPY bin ./bin
USER node
EXPOSE 8080
# Refuse to start without an external database: the embedded one is for laptops, not containers.
CMD ["sh", "-c", "test -n \"$DATABASE_URL\" || { echo 'roster: DATABASE_URL is required in a container' >&2; exit 1; }; exec node dist/src/main.js"]
