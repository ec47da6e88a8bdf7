# The app image: API and job workers in one Node process; the engine runs in its own container.
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
# `start` with ZEEBE_ADDRESS set starts no engine: it deploys processes/, then runs the API and the workers.
CMD ["npx", "tsx", "src/cli.ts", "start"]
