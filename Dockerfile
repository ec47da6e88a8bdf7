# The app image: HTTP API and external-task workers in one Node process; the Operaton engine runs in its own
# container (docker/engine.Dockerfile), PostgreSQL in another.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY processes ./processes
USER node
EXPOSE 3000
# `start` with ENGINE_URL set starts no engine: it waits for the engine, provisions its groups and technical
# user (ENGINE_PROVISION=true with ENGINE_ADMIN_*), deploys processes/, then runs the API and the workers.
# The same image runs workers alone: `npx tsx src/cli.ts workers --only 'allegro.*'`.
CMD ["npx", "tsx", "src/cli.ts", "start"]
