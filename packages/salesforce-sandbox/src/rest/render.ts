import type { SObjectRecord } from '../contracts';
import type { Schema } from '../schema';
import { outputValue, recordUrl } from '../soql/query';

/** A record as REST returns it: `attributes` first, then the fields (all, or those asked for). */
export function renderRecord(
  schema: Schema,
  type: string,
  record: SObjectRecord,
  apiVersion: string,
  fields?: string[],
): Record<string, unknown> {
  const def = schema.object(type);
  const out: Record<string, unknown> = { attributes: { type, url: recordUrl(apiVersion, type, record.Id) } };
  const names = fields ?? def?.fields.map((f) => f.name) ?? Object.keys(record);
  for (const name of names) {
    const fd = schema.field(type, name);
    if (!fd) continue;
    out[fd.name] = outputValue(apiVersion, type, record, fd.name, fd.type);
  }
  return out;
}
