import { ValidationError } from './errors';

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

/**
 * What every checked write may fill: the limit less room for the few small attributes written
 * later without a size check (a PDF's record, a send's file id and Amount, a deletion mark, a
 * project link), and for the item's keys, which the domain does not build.
 */
export const ITEM_RESERVE_BYTES = 4 * 1024;
export const ITEM_BUDGET_BYTES = DYNAMODB_ITEM_LIMIT_BYTES - ITEM_RESERVE_BYTES;

/** The item's largest parts, largest first: top-level attributes, and a map's entries by path (customFields.notes). */
export function largestParts(
  item: Record<string, unknown>,
  count = 3,
): Array<{ path: string; bytes: number }> {
  const parts: Array<{ path: string; bytes: number }> = [];
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      !(value instanceof Uint8Array)
    ) {
      for (const [key, element] of Object.entries(value as Record<string, unknown>)) {
        if (element === undefined) continue;
        parts.push({ path: `${name}.${key}`, bytes: Buffer.byteLength(key, 'utf8') + valueBytes(element) });
      }
    } else {
      parts.push({ path: name, bytes: Buffer.byteLength(name, 'utf8') + valueBytes(value) });
    }
  }
  return parts.sort((a, b) => b.bytes - a.bytes).slice(0, count);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * A write that would make an item larger than DynamoDB holds (400 KB). DynamoDB refuses such a
 * write (dynalite does not), so the code checks before writing and names the field to shorten.
 */
export class ItemTooLargeError extends ValidationError {
  constructor(
    readonly what: string,
    readonly bytes: number,
    readonly field: string,
    budget = ITEM_BUDGET_BYTES,
    options?: { cause?: unknown },
  ) {
    const message = `${what} would be ${kib(bytes)}, more than the ${kib(budget)} one stored item may hold (DynamoDB's limit is 400 KB); its largest field is ${field}`;
    super(message, [{ path: field, message: `is too large: ${message}` }], options);
  }
}

/**
 * Throws ItemTooLargeError when the item would not fit its budget, naming the largest field of
 * `changed` (what this write sets: the field to shorten), or else of the whole item.
 */
export function checkItemBudget(
  what: string,
  item: Record<string, unknown>,
  changed: Record<string, unknown> = item,
  budget = ITEM_BUDGET_BYTES,
): void {
  const bytes = itemSizeBytes(item);
  if (bytes <= budget) return;
  throw new ItemTooLargeError(what, bytes, largestParts(changed, 1)[0]?.path ?? 'the item', budget);
}
