/** What the benchmark and the API process under load say to each other over the IPC channel of `fork`. */
import type { EngineEndpoints } from '../../src/engine/endpoints.js';

export interface StartServer {
  type: 'start';
  /** The real engine to call; null: calls are answered in-process. */
  engine: EngineEndpoints | null;
  /** A bearer token for the EZ role bound to cottbus, made up per run. */
  token: string;
  /** With the in-process engine: how long its start call takes, to stand in for the engine's round trip. */
  startDelayMs?: number;
  /** A PostgreSQL database for the store; absent: in-memory PGlite. */
  databaseUrl?: string;
}

export interface AskServer {
  /** memory: the resident size only, cheap enough to ask during load; stats: also counts rows (a store query). */
  type: 'memory' | 'stats' | 'stop';
  id: number;
}

export type ToServer = StartServer | AskServer;

export interface ServerStats {
  rssMb: number;
  /** Rows in the applications table. */
  applications: number;
  /** 2xx answers the app ended, including those the load generator hung up on before reading. */
  answered2xx: number;
}

export type FromServer =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'memory'; id: number; rssMb: number }
  | { type: 'stats'; id: number; stats: ServerStats }
  | { type: 'stopped'; id: number };
