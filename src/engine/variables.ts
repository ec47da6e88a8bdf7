/**
 * Process variables as the engine's REST API carries them. The engine host stores plain values only (no JSON
 * data format, see docs/modelling-on-operaton.md): objects and arrays travel as JSON text in a String.
 */
export type EngineValueType =
  | 'String'
  | 'Boolean'
  | 'Integer'
  | 'Long'
  | 'Double'
  | 'Null'
  | 'Date'
  | 'Json'
  | 'Object'
  | 'Bytes'
  | 'File'
  | 'Short';

export interface EngineVariable {
  value: unknown;
  // The engine may name types this list lacks (e.g. a plugin's); they pass through untouched.
  type: EngineValueType | (string & {});
  valueInfo?: Record<string, unknown>;
}

const INT_MAX = 2 ** 31 - 1;

export function toEngineVariable(value: unknown): EngineVariable {
  if (value === null || value === undefined) return { value: null, type: 'Null' };
  if (typeof value === 'string') return { value, type: 'String' };
  if (typeof value === 'boolean') return { value, type: 'Boolean' };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`A process variable cannot hold ${value}`);
    if (Number.isInteger(value)) return { value, type: Math.abs(value) <= INT_MAX ? 'Integer' : 'Long' };
    return { value, type: 'Double' };
  }
  if (value instanceof Date) return { value: value.toISOString(), type: 'String' };
  return { value: JSON.stringify(value), type: 'String' };
}

/** Undefined entries are left out: "not set" is not the same as null, which the diagrams use to reset a value. */
export function toEngineVariables(values: Record<string, unknown>): Record<string, EngineVariable> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, toEngineVariable(v)]),
  );
}

export function fromEngineVariables(vars: Record<string, EngineVariable> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars ?? {}).map(([k, v]) => [k, v.value]));
}
