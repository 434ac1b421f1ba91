/**
 * The size DynamoDB bills and limits an item by (400 KB at most), computed from the value as
 * the document client would write it. Rules from "Item sizes and formats"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * attribute names and strings count their UTF-8 bytes; a number about one byte per two
 * significant digits plus one (at most 21); booleans and nulls one byte; a list or map 3 bytes
 * plus its elements, each element one more byte (conservative: the guide counts it for nested
 * values), and a map's keys like names. Undefined values are left out, as the client is told to.
 */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

function numberBytes(value: number): number {
  const digits = String(Math.abs(value))
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.min(21, Math.ceil(Math.max(digits.length, 1) / 2) + 1);
}

function valueBytes(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return numberBytes(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) {
    return 3 + value.reduce<number>((sum, element) => sum + 1 + valueBytes(element), 0);
  }
  if (typeof value === 'object') {
    let sum = 3;
    for (const [name, element] of Object.entries(value as Record<string, unknown>)) {
      if (element === undefined) continue;
      sum += 1 + Buffer.byteLength(name, 'utf8') + valueBytes(element);
    }
    return sum;
  }
  return 0;
}

/** The item's size: each top-level attribute's name and value. */
export function itemSizeBytes(item: Record<string, unknown>): number {
  let sum = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    sum += Buffer.byteLength(name, 'utf8') + valueBytes(value);
  }
  return sum;
}
