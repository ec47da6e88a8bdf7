// The two ways a step ends other than with its result: the domain throws them; the worker runtime turns them
// into a BPMN error or an incident.

/**
 * A business outcome the diagram handles with an error boundary event. Thrown by a handler;
 * the runner turns it into a BPMN error. Codes are UPPER_SNAKE and must be declared in `errors`.
 */
export class BpmnError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly variables: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BpmnError';
  }
}

/**
 * A fault that no retry can repair (the data or the model is wrong): the runner raises an incident at once
 * so the message reaches Cockpit without useless attempts.
 */
export class IncidentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncidentError';
  }
}
