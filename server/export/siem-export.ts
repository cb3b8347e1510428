// Export in a SIEM format: one NDJSON line per delivery for OCSF, ECS and HEC, one CEF line per
// delivery for CEF. Bodies that are not JSON event objects have no mapping: they are counted
// and the first few named, never silently dropped.
import { mapDelivery, type HecOptions, type SiemFormat, type SiemSource } from '../siem/index.ts';

export interface SiemExport {
  /** The line for one delivery (ending in a newline), or '' when it has no mapping. */
  entry(source: SiemSource): string;
  /** Deliveries skipped so far, and why for the first few. */
  skipped(): { count: number; examples: string[] };
}

const EXAMPLES = 3;

export function createSiemExport(format: SiemFormat, hec: HecOptions = {}): SiemExport {
  let count = 0;
  const examples: string[] = [];
  return {
    entry(source) {
      const result = mapDelivery(format, source, hec);
      if (!result.ok) {
        count++;
        if (examples.length < EXAMPLES) examples.push(`#${source.id}: ${result.reason}`);
        return '';
      }
      const output = result.mapping.output;
      return (typeof output === 'string' ? output : JSON.stringify(output)) + '\n';
    },
    skipped: () => ({ count, examples: [...examples] }),
  };
}
