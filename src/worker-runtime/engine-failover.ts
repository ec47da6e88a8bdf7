/**
 * Which node of an engine cluster the worker host talks to. All nodes share one database, so any node can
 * complete, fail or extend a task another node handed out: the host needs only one node at a time and turns
 * to the next one when the current one has stopped answering several times in a row.
 */
import type { Logger } from 'winston';

/** Failed polls (or reports) in a row before the host gives up on a node: one failure may be a blip. */
export const FAILURES_BEFORE_SWITCH = 2;

const NO_ANSWER_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
]);

function statusOf(e: unknown): number | undefined {
  const err = e as { httpStatusCode?: unknown; response?: { statusCode?: unknown } } | null;
  const status = err?.httpStatusCode ?? err?.response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The node did not answer (refused, reset, timed out) or a proxy in front of it says it is away (502, 503,
 * 504). Nothing of a refused request reached the engine; for the others the engine may or may not have acted,
 * which is why only idempotent outcomes are sent again (the engine refuses a second complete of a task).
 */
export function isNodeAway(e: unknown): boolean {
  const status = statusOf(e);
  if (status !== undefined) return status === 502 || status === 503 || status === 504;
  const err = e as { code?: unknown; name?: unknown } | null;
  return err?.name === 'TimeoutError' || (typeof err?.code === 'string' && NO_ANSWER_CODES.has(err.code));
}

/** For fetch-and-lock any 5xx counts too: a node whose engine throws on every poll is no use for fetching work. */
export function isPollFailure(e: unknown): boolean {
  const status = statusOf(e);
  return isNodeAway(e) || (status !== undefined && status >= 500);
}

export class NodeRotation {
  private index = 0;
  private failures = 0;

  constructor(
    readonly nodes: readonly string[],
    private readonly log: Logger,
    private readonly onSwitch: (node: string) => void = () => {},
    private readonly failuresBeforeSwitch = FAILURES_BEFORE_SWITCH,
  ) {
    if (nodes.length === 0) throw new Error('The worker host needs at least one engine URL');
  }

  get current(): string {
    return this.nodes[this.index]!;
  }

  /** A request to `node` got an answer: its earlier failures were a blip. */
  succeeded(node: string): void {
    if (node === this.current) this.failures = 0;
  }

  /**
   * A request to `node` failed as `isNodeAway`/`isPollFailure` say. Failures of a node the host has already left
   * (requests still under way at the switch) do not count against the new one. Returns whether it switched.
   */
  failed(node: string, error: unknown): boolean {
    if (node !== this.current) return false;
    this.failures++;
    if (this.failures < this.failuresBeforeSwitch || this.nodes.length < 2) return false;
    const from = this.current;
    this.index = (this.index + 1) % this.nodes.length;
    this.failures = 0;
    this.log.warn('engine node does not answer: the workers switch to the next node', {
      event: 'engine-failover',
      from,
      to: this.current,
      consecutiveFailures: this.failuresBeforeSwitch,
      error: (error as Error)?.message ?? String(error),
    });
    this.onSwitch(this.current);
    return true;
  }
}

/** The options of one request as the external-task client hands them to its interceptors (got's options). */
export interface RequestConfig {
  [option: string]: unknown;
  hooks?: { beforeRequest?: ((options: { url?: URL | string }) => unknown)[]; [hook: string]: unknown };
}

/**
 * An interceptor that sends each request of the external-task client to the node the rotation names when the
 * request is made. Interceptors are the client's documented way to change its requests; they get and return the
 * options the client passes to got (its BasicAuthInterceptor adds `headers` the same way). The URL is not among
 * them: the client builds it as its one `baseUrl` plus the REST path. So the interceptor adds a got `beforeRequest`
 * hook, the last step before sending, that puts the current node's base in place of `baseUrl`. The node is read
 * when the interceptor runs, which is when the client starts the request: a poll begun at node A stays at A.
 */
export function toCurrentNode(rotation: NodeRotation, baseUrl: string): (config: RequestConfig) => RequestConfig {
  const configured = withoutSlash(new URL(baseUrl).href);
  return (config) => {
    const node = withoutSlash(rotation.current);
    const rebase = (options: { url?: URL | string }) => {
      const url = String(options.url);
      // Were a release of the client to build its URLs differently, every request would fail here, loudly,
      // instead of going to a node the host has left (test/unit/worker-runtime/engine-failover.unit.spec.ts).
      if (!url.startsWith(configured))
        throw new Error(`Request ${url} does not start with the engine URL ${configured}`);
      options.url = node + url.slice(configured.length);
    };
    return { ...config, hooks: { ...config.hooks, beforeRequest: [...(config.hooks?.beforeRequest ?? []), rebase] } };
  };
}

const withoutSlash = (url: string) => url.replace(/\/$/, '');
