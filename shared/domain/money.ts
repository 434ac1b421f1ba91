import Big from 'big.js';

/**
 * Money is exact decimal arithmetic on decimal strings (big.js), never JS numbers: a binary
 * float cannot hold 0.1, and sums of such values drift (0.1 + 0.2 = 0.30000000000000004).
 * Amounts enter and leave this module as plain decimal strings ("1234.5", never "1.2345e3").
 */

/**
 * Minor units (digits after the decimal point) by ISO 4217 code. Only currencies that differ
 * from the usual 2 are listed, plus the common ones for clarity; anything else gets 2.
 * Source: the ISO 4217 list (https://www.six-group.com/en/products-services/financial-information/data-standards.html).
 */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  EUR: 2,
  USD: 2,
  GBP: 2,
  CHF: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  JPY: 0,
  KRW: 0,
  ISK: 0,
  CLP: 0,
  VND: 0,
  KWD: 3,
  BHD: 3,
  JOD: 3,
  OMR: 3,
  TND: 3,
  IQD: 3,
  LYD: 3,
};

const DEFAULT_MINOR_UNITS = 2;

/** A plain decimal: optional minus, digits, optional fraction. No exponent, no grouping, no "+". */
export const DECIMAL_PATTERN = /^-?\d+(?:\.\d+)?$/;

export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency.toUpperCase()] ?? DEFAULT_MINOR_UNITS;
}

/** Parses a plain decimal string; throws a TypeError naming the value otherwise. */
export function toBig(value: string): Big {
  if (!DECIMAL_PATTERN.test(value))
    throw new TypeError(`Not a plain decimal string: ${JSON.stringify(value)}`);
  return new Big(value);
}

/**
 * Rounds half up: an exact half goes away from zero (2.345 → 2.35, -2.345 → -2.35), the rule
 * people expect on an invoice, unlike banker's rounding (half to even).
 */
export function roundHalfUp(value: Big, decimals: number): Big {
  return value.round(decimals, Big.roundHalfUp);
}

/** Rounds to the currency's minor units and renders with exactly that many decimals. */
export function roundMoney(value: Big, currency: string): string {
  const decimals = minorUnits(currency);
  return normalizeZero(roundHalfUp(value, decimals).toFixed(decimals));
}

/** Canonical form of a decimal: no exponent, no leading zeros, no trailing fraction zeros. */
export function canonicalDecimal(value: Big): string {
  // toFixed() without an argument never switches to exponent notation, unlike toString().
  return normalizeZero(value.toFixed());
}

/** big.js keeps the sign of zero ("-0.00"); nobody wants to read that on a quote. */
function normalizeZero(text: string): string {
  return /^-0(?:\.0+)?$/.test(text) ? text.slice(1) : text;
}

/**
 * Groups the integer part of a plain decimal string in thousands ("1234567.5" → "1,234,567.5").
 * Works on the text itself, so no precision is lost to a float on the way to the screen.
 */
export function groupThousands(decimal: string, separator = ','): string {
  if (!DECIMAL_PATTERN.test(decimal))
    throw new TypeError(`Not a plain decimal string: ${JSON.stringify(decimal)}`);
  const negative = decimal.startsWith('-');
  const [integer = '0', fraction] = (negative ? decimal.slice(1) : decimal).split('.');
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/**
 * Display form of an amount: rounded half up to the currency's minor units, thousands grouped,
 * currency code after the number ("1,234.50 EUR", "1,235 JPY"). The code rather than a symbol
 * keeps it unambiguous ($ is many currencies) and printable with any font.
 */
export function formatMoney(amount: string, currency: string): string {
  return `${groupThousands(roundMoney(toBig(amount), currency))} ${currency.toUpperCase()}`;
}

/** Sum of decimal strings, exact. */
export function sumDecimals(values: readonly string[]): Big {
  return values.reduce((sum, value) => sum.plus(toBig(value)), new Big(0));
}
