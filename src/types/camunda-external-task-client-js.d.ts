/** The part of camunda-external-task-client-js 3.x that src/worker-runtime/worker-host.ts uses (the package ships no types). */
declare module 'camunda-external-task-client-js' {
  export interface TypedValue {
    value: unknown;
    type: string;
    valueInfo?: Record<string, unknown>;
  }

  export class Variables {
    /** From the typed values of a fetch-and-lock answer, as the client builds them for a handler. */
    constructor(initialVariables?: Record<string, TypedValue>, options?: { readOnly?: boolean });
    getAll(): Record<string, unknown>;
    getAllTyped(): Record<string, TypedValue>;
    setTyped(name: string, typedValue: TypedValue): Variables;
    setAllTyped(values: Record<string, TypedValue>): Variables;
  }

  export interface Task {
    id: string;
    topicName: string;
    workerId: string;
    processInstanceId: string;
    processDefinitionKey: string;
    businessKey: string | null;
    activityId: string;
    activityInstanceId: string;
    retries: number | null;
    extensionProperties?: Record<string, string>;
    variables: Variables;
  }

  export interface TaskService {
    complete(task: Task, variables?: Variables, localVariables?: Variables): Promise<void>;
    handleFailure(
      task: Task,
      options: { errorMessage: string; errorDetails?: string; retries: number; retryTimeout: number },
    ): Promise<void>;
    handleBpmnError(task: Task, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
    extendLock(task: Task, newDuration: number): Promise<void>;
  }

  export interface SubscribeOptions {
    lockDuration?: number;
    variables?: string[];
    includeExtensionProperties?: boolean;
  }

  export type Handler = (args: { task: Task; taskService: TaskService }) => Promise<void>;

  /** Gets the options of a request (those the client passes to got) and returns them changed. */
  export type Interceptor = (config: Record<string, unknown>) => Record<string, unknown>;

  export interface ClientOptions {
    baseUrl: string;
    workerId?: string;
    maxTasks?: number;
    maxParallelExecutions?: number;
    interval?: number;
    lockDuration?: number;
    autoPoll?: boolean;
    asyncResponseTimeout?: number;
    usePriority?: boolean;
    interceptors?: Interceptor[];
    use?: unknown;
  }

  export class Client {
    constructor(options: ClientOptions);
    options: ClientOptions;
    activeTasksCount: number;
    subscribe(topic: string, options: SubscribeOptions, handler: Handler): { unsubscribe(): void };
    start(): void;
    stop(): void;
    on(event: string, listener: (...args: never[]) => void): this;
  }

  /** A class whose constructor returns the interceptor function itself. */
  export const BasicAuthInterceptor: new (options: { username: string; password: string }) => Interceptor;

  export const logger: unknown;
}
