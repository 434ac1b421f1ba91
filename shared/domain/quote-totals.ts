import Big from 'big.js';
import { canonicalDecimal, roundMoney, sumDecimals, toBig } from './money';

/**
 * A quote's sums, apart from the line schema so that the console computes live totals with the
 * very same code and rules without bundling zod: this module needs only big.js.
 */

/** What the sums read of a line: canonical decimal strings, as a validated line holds them. */
export interface PricedLine {
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  vatPercent: string;
}

/** Amounts of one line, in the quote's currency, rounded to its minor units. */
export interface LineTotals {
  /** quantity × unit price, before discount. */
  subtotal: string;
  /** subtotal − net: the discount's effect, so the two always add up. */
  discount: string;
  /** After discount, before VAT: the line total shown on the quote. */
  net: string;
  vat: string;
  /** net + vat. */
  gross: string;
}

export interface VatBreakdownEntry {
  /** The VAT rate in percent, canonical ("20", "5.5"). */
  rate: string;
  /** Sum of the net amounts of the lines at this rate. */
  net: string;
  /** Sum of the VAT of the lines at this rate. */
  vat: string;
}

export interface QuoteTotals {
  currency: string;
  /** Per line, in the order of the input lines. */
  lines: LineTotals[];
  /** Sum of the lines' subtotals (before discount). */
  subtotal: string;
  discount: string;
  net: string;
  vat: string;
  /** net + vat: the quoted sum. */
  total: string;
  /** One entry per VAT rate that occurs, ascending by rate; its nets and VATs sum to net and vat. */
  vatBreakdown: VatBreakdownEntry[];
}

/**
 * The sums of a quote. Rounding rule (half up, to the currency's minor units, per line):
 *
 *   line subtotal = round(quantity × unitPrice)
 *   line net      = round(quantity × unitPrice × (1 − discount% / 100))
 *   line discount = line subtotal − line net
 *   line VAT      = round(line net × VAT% / 100)
 *   line gross    = line net + line VAT
 *
 * Totals (and the VAT breakdown) are sums of the rounded line amounts, so every column of the PDF
 * adds up exactly to the totals printed under it. Everything in between is exact (big.js
 * multiplies exactly; dividing by 100 is exact), so only those named steps ever round.
 */
export function computeQuoteTotals(lines: readonly PricedLine[], currency: string): QuoteTotals {
  const lineTotals = lines.map((line): LineTotals => {
    const amount = toBig(line.quantity).times(toBig(line.unitPrice));
    const keep = new Big(1).minus(toBig(line.discountPercent).div(100));
    const subtotal = roundMoney(amount, currency);
    const net = roundMoney(amount.times(keep), currency);
    const vat = roundMoney(toBig(net).times(toBig(line.vatPercent)).div(100), currency);
    return {
      subtotal,
      discount: roundMoney(toBig(subtotal).minus(toBig(net)), currency),
      net,
      vat,
      gross: roundMoney(toBig(net).plus(toBig(vat)), currency),
    };
  });

  const sum = (pick: (line: LineTotals) => string, among = lineTotals) =>
    roundMoney(sumDecimals(among.map(pick)), currency);

  const byRate = new Map<string, LineTotals[]>();
  lines.forEach((line, index) => {
    const totals = lineTotals[index];
    if (totals === undefined) return;
    const rate = canonicalDecimal(toBig(line.vatPercent));
    const among = byRate.get(rate);
    if (among) among.push(totals);
    else byRate.set(rate, [totals]);
  });
  const vatBreakdown = [...byRate.entries()]
    .sort(([a], [b]) => new Big(a).cmp(new Big(b)))
    .map(([rate, among]) => ({ rate, net: sum((l) => l.net, among), vat: sum((l) => l.vat, among) }));

  return {
    currency: currency.toUpperCase(),
    lines: lineTotals,
    subtotal: sum((l) => l.subtotal),
    discount: sum((l) => l.discount),
    net: sum((l) => l.net),
    vat: sum((l) => l.vat),
    total: sum((l) => l.gross),
    vatBreakdown,
  };
}
