/** bpmn-moddle ships its types outside its package exports; this is the little we use. */
declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(
      xml: string,
    ): Promise<{ rootElement: unknown; warnings: { message: string }[]; elementsById: Record<string, unknown> }>;
  }
}
