import Big from 'big.js';
import * as z from 'zod';
import { canonicalDecimal } from './money';

/**
 * Quote lines as the admin API receives them, and the quote's sums.
 *
 * Decimal fields accept a JSON number or a decimal string and are stored as canonical decimal
 * strings ("12.5", never a float). A JSON number is read through its shortest round-trip text
 * (`String(0.1)` is "0.1"), which is what the sender wrote; a float artefact such as
 * 0.30000000000000004 is refused for having too many decimals rather than silently rounded.
 */

export interface DecimalRule {
  /** Digits allowed after the decimal point. */
  decimals: number;
  /** Digits allowed before it: keeps sums far from any float or exponent territory. */
  integerDigits: number;
  min: { value: string; exclusive: boolean };
  max?: string;
}

export function decimalField(field: string, rule: DecimalRule) {
  return z
    .custom<number | string>(() => true)
    .transform((input, ctx): string => {
      const fail = (message: string) => {
        ctx.addIssue({ code: 'custom', message: `${field} ${message}`, input });
        return z.NEVER;
      };
      let text: string;
      if (typeof input === 'number') {
        if (!Number.isFinite(input)) return fail('must be a finite number (not NaN or Infinity)');
        text = String(input);
      } else if (typeof input === 'string') {
        text = input.trim();
      } else if (input === undefined || input === null) {
        return fail('is required');
      } else {
        return fail('must be a number or a decimal string');
      }
      if (/^[+-]?(?:\d+\.?\d*|\.\d+)e[+-]?\d+$/i.test(text)) {
        return fail(`must be written without exponent notation (got ${JSON.stringify(text)})`);
      }
      if (/^\d+,\d+$/.test(text))
        return fail(`must use "." as the decimal separator (got ${JSON.stringify(text)})`);
      const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
      if (!match) return fail(`must be a decimal number like 12.5 (got ${JSON.stringify(text)})`);
      const [, , integer = '', fraction = ''] = match;
      if (fraction.length > rule.decimals) {
        return fail(
          `must have at most ${rule.decimals} decimal${rule.decimals === 1 ? '' : 's'} (got ${text})`,
        );
      }
      if (integer.replace(/^0+(?=\d)/, '').length > rule.integerDigits) {
        return fail(`must have at most ${rule.integerDigits} digits before the decimal point (got ${text})`);
      }
      const value = new Big(text);
      const min = new Big(rule.min.value);
      if (rule.min.exclusive ? value.lte(min) : value.lt(min)) {
        return fail(
          `must be ${rule.min.exclusive ? 'greater than' : 'at least'} ${rule.min.value} (got ${text})`,
        );
      }
      if (rule.max !== undefined && value.gt(new Big(rule.max))) {
        return fail(`must be at most ${rule.max} (got ${text})`);
      }
      return canonicalDecimal(value);
    });
}

const percent = (field: string) =>
  decimalField(field, { decimals: 2, integerDigits: 3, min: { value: '0', exclusive: false }, max: '100' });

export function textField(field: string, min: number, max: number) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a string`),
    })
    .trim()
    .min(min, {
      error: min === 1 ? `${field} must not be empty` : `${field} must have at least ${min} characters`,
    })
    .max(max, { error: `${field} must have at most ${max} characters` });
}

/**
 * One line as the API receives it. Unknown keys are refused (a typo such as "unit_price" must not
 * silently become a line priced at zero). Output: every decimal is a canonical decimal string,
 * discountPercent and vatPercent default to "0", text is trimmed, and an empty or null
 * description, product code or unit is left out.
 */
export const quoteLineSchema = z
  .strictObject(
    {
      name: textField('name', 1, 200),
      description: textField('description', 0, 2000).nullish(),
      /** The product code of a line imported from the opportunity's products. */
      productCode: textField('productCode', 0, 100).nullish(),
      quantity: decimalField('quantity', {
        decimals: 4,
        integerDigits: 9,
        min: { value: '0', exclusive: true },
      }),
      unit: textField('unit', 0, 20).nullish(),
      unitPrice: decimalField('unitPrice', {
        decimals: 4,
        integerDigits: 12,
        min: { value: '0', exclusive: false },
      }),
      discountPercent: percent('discountPercent').default('0'),
      vatPercent: percent('vatPercent').default('0'),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : undefined,
    },
  )
  // null and "" mean "no description" / "no unit": the stored line simply has no such key.
  .transform(({ description, unit, productCode, ...line }) => ({
    ...line,
    ...(description ? { description } : {}),
    ...(productCode ? { productCode } : {}),
    ...(unit ? { unit } : {}),
  }));

export const MAX_QUOTE_LINES = 500;

export const quoteLinesSchema = z
  .array(quoteLineSchema, { error: 'lines must be an array' })
  .max(MAX_QUOTE_LINES, { error: `lines must have at most ${MAX_QUOTE_LINES} entries` });

/** The body of `PUT /sites/{siteId}/quotes/{quoteId}/lines`: the quote's full list of lines. */
export const quoteLinesBodySchema = z.strictObject({ lines: quoteLinesSchema });

/** A validated line: decimals are canonical strings, percentages present. */
export type QuoteLine = z.output<typeof quoteLineSchema>;
/** What a client may send for one line (numbers or strings; percentages optional). */
export type QuoteLineInput = z.input<typeof quoteLineSchema>;

export interface FieldIssue {
  /** Dotted path into the body, e.g. "lines.2.unitPrice". */
  path: string;
  message: string;
}

/** Flattens zod issues to `{ path, message }`, the shape a 400 body carries. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

export type ParseResult<T> = { success: true; data: T } | { success: false; issues: FieldIssue[] };

/**
 * Validates a PUT body (`{ lines: [...] }`). On failure every problem is reported with its path,
 * so a client can point at the offending cell; the caller maps the issues to a 400.
 */
export function parseQuoteLinesBody(body: unknown): ParseResult<{ lines: QuoteLine[] }> {
  const result = quoteLinesBodySchema.safeParse(body);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, issues: toFieldIssues(result.error) };
}

export type { LineTotals, QuoteTotals, VatBreakdownEntry } from './quote-totals';
export { computeQuoteTotals } from './quote-totals';
