import { computeQuoteTotals, type QuoteTotals } from '../../../shared/domain/quote-totals';
import type { LineInput, QuoteLine } from '../api/types';

/**
 * The lines editor's rows: text as typed, checked the way the API checks it, with the quote's
 * sums computed by the server's own code (shared/domain/quote-totals), so the live totals are
 * the ones the API will store.
 */
export interface LineRow {
  /** Stable across reorders, for the list's keys and focus. */
  rowId: number;
  name: string;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  discountPercent: string;
  vatPercent: string;
  /** Kept as imported from the opportunity's products (not edited here). */
  productCode?: string;
}

let nextRowId = 1;

export function rowOf(line?: QuoteLine): LineRow {
  return {
    rowId: nextRowId++,
    name: line?.name ?? '',
    description: line?.description ?? '',
    quantity: line?.quantity ?? '1',
    unit: line?.unit ?? '',
    unitPrice: line?.unitPrice ?? '',
    discountPercent: line?.discountPercent ?? '0',
    vatPercent: line?.vatPercent ?? '0',
    ...(line?.productCode ? { productCode: line.productCode } : {}),
  };
}

interface Rule {
  decimals: number;
  integerDigits: number;
  min: number;
  minExclusive: boolean;
  max?: number;
}

const RULES: Record<'quantity' | 'unitPrice' | 'discountPercent' | 'vatPercent', Rule> = {
  quantity: { decimals: 4, integerDigits: 9, min: 0, minExclusive: true },
  unitPrice: { decimals: 4, integerDigits: 12, min: 0, minExclusive: false },
  discountPercent: { decimals: 2, integerDigits: 3, min: 0, minExclusive: false, max: 100 },
  vatPercent: { decimals: 2, integerDigits: 3, min: 0, minExclusive: false, max: 100 },
};

/** The canonical decimal of a cell, or what is wrong with it (the API's rules: quote-lines.ts). */
export function checkDecimal(
  field: keyof typeof RULES,
  text: string,
): { value: string } | { message: string } {
  const rule = RULES[field];
  const trimmed = text.trim();
  if (trimmed === '') return { message: 'is required' };
  if (/^\d+,\d+$/.test(trimmed)) return { message: 'use "." as the decimal separator' };
  const match = /^(\d+)(?:\.(\d+))?$/.exec(trimmed);
  if (!match) return { message: 'must be a number like 12.5' };
  const [, integer = '', fraction = ''] = match;
  if (fraction.length > rule.decimals) return { message: `at most ${rule.decimals} decimals` };
  if (integer.replace(/^0+(?=\d)/, '').length > rule.integerDigits)
    return { message: `at most ${rule.integerDigits} digits before the point` };
  const number = Number(trimmed);
  if (rule.minExclusive ? number <= rule.min : number < rule.min)
    return { message: rule.minExclusive ? `must be more than ${rule.min}` : `must be at least ${rule.min}` };
  if (rule.max !== undefined && number > rule.max) return { message: `must be at most ${rule.max}` };
  const canonical = trimmed
    .replace(/^0+(?=\d)/, '')
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
  return { value: canonical };
}

export interface CheckedRows {
  /** Problems by `index.field`, in the API's own path form (`lines.2.unitPrice`). */
  problems: Map<string, string>;
  /** The lines as the API takes them; only when there is no problem. */
  lines?: LineInput[];
  /** Sums over the rows that are valid, for the live totals. */
  totals: QuoteTotals;
}

export function checkRows(rows: readonly LineRow[], currency: string): CheckedRows {
  const problems = new Map<string, string>();
  const valid: Array<{ quantity: string; unitPrice: string; discountPercent: string; vatPercent: string }> =
    [];
  const lines: LineInput[] = [];
  rows.forEach((row, index) => {
    if (!row.name.trim()) problems.set(`lines.${index}.name`, 'name must not be empty');
    const decimals: Record<string, string> = {};
    let ok = true;
    for (const field of ['quantity', 'unitPrice', 'discountPercent', 'vatPercent'] as const) {
      const checked = checkDecimal(field, row[field]);
      if ('message' in checked) {
        problems.set(`lines.${index}.${field}`, `${field} ${checked.message}`);
        ok = false;
      } else decimals[field] = checked.value;
    }
    const priced = {
      quantity: decimals.quantity ?? '0',
      unitPrice: decimals.unitPrice ?? '0',
      discountPercent: decimals.discountPercent ?? '0',
      vatPercent: decimals.vatPercent ?? '0',
    };
    valid.push(ok ? priced : { quantity: '0', unitPrice: '0', discountPercent: '0', vatPercent: '0' });
    lines.push({
      name: row.name.trim(),
      ...(row.description.trim() ? { description: row.description.trim() } : {}),
      ...(row.productCode ? { productCode: row.productCode } : {}),
      ...(row.unit.trim() ? { unit: row.unit.trim() } : {}),
      ...priced,
    });
  });
  return {
    problems,
    ...(problems.size === 0 ? { lines } : {}),
    totals: computeQuoteTotals(valid, currency),
  };
}

export function moveRow(rows: readonly LineRow[], index: number, by: -1 | 1): LineRow[] {
  const target = index + by;
  if (target < 0 || target >= rows.length) return [...rows];
  const next = [...rows];
  const [row] = next.splice(index, 1);
  if (row) next.splice(target, 0, row);
  return next;
}
