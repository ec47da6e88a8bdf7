/** The part of autocannon 8's programmatic API the benchmark uses; the package ships no types and none are installed. */
declare module 'autocannon' {
  namespace autocannon {
    interface RequestData {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }
    interface Request extends RequestData {
      /** Called before every send of this request; what it returns is sent. */
      setupRequest?: (request: RequestData, context: Record<string, unknown>) => RequestData;
    }
    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Stop after this many responses instead of after `duration`. */
      amount?: number;
      /** Requests per second over all connections; unset: as fast as the server answers. */
      overallRate?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      requests?: Request[];
      /**
       * Off by default; autocannon 8 then back-fills latencies of rate-limited runs assuming a 1 ms interval
       * (it divides 1 by the rate, not 1000), which floods the histogram with made-up small values.
       */
      ignoreCoordinatedOmission?: boolean;
      /** Returns the instance's raw result, for aggregateResult. */
      skipAggregateResult?: boolean;
    }
    /** Raw results of instances run with skipAggregateResult, merged; its requests.total counts responses of all. */
    function aggregateResult(results: unknown[], options: Partial<Options>): Result;
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p50: number;
      p90: number;
      p99: number;
    }
    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      '2xx': number;
      statusCodeStats: Record<string, { count: number }>;
      latency: Histogram;
      requests: Histogram & { sent: number };
    }
  }
  namespace autocannon {
    /** A running instance: awaitable for its result, and an emitter of each response. */
    type Instance<T> = Promise<T> & {
      on(
        event: 'response',
        listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
      ): Instance<T>;
    };
  }
  function autocannon(options: autocannon.Options & { skipAggregateResult: true }): autocannon.Instance<unknown>;
  function autocannon(options: autocannon.Options): autocannon.Instance<autocannon.Result>;
  export = autocannon;
}
