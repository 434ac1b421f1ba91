import { computeQuoteTotals, type QuoteLine, quoteLineSchema } from '../../../shared/domain/quote-lines';

const line = (input: Record<string, unknown>): QuoteLine => quoteLineSchema.parse({ name: 'Item', ...input });

describe('computeQuoteTotals', () => {
  it('adds 0.1 and 0.2 exactly (no binary floating-point drift)', () => {
    const totals = computeQuoteTotals(
      [line({ quantity: 1, unitPrice: 0.1 }), line({ quantity: 1, unitPrice: 0.2 })],
      'EUR',
    );
    expect(totals.total).toBe('0.30');
    expect(totals.subtotal).toBe('0.30');
  });

  it('multiplies exactly: 3 × 33.33 is 99.99 and 1.1 × 1.1 is 1.21', () => {
    const totals = computeQuoteTotals(
      [line({ quantity: 3, unitPrice: '33.33' }), line({ quantity: '1.1', unitPrice: '1.1' })],
      'EUR',
    );
    expect(totals.lines.map((l) => l.net)).toEqual(['99.99', '1.21']);
    expect(totals.net).toBe('101.20');
  });

  it('rounds an exact half up, per line', () => {
    // 0.5 × 0.01 = 0.005 → 0.01 (banker's rounding would give 0.00); 1.005 stays exact in big.js.
    const totals = computeQuoteTotals(
      [line({ quantity: '0.5', unitPrice: '0.01' }), line({ quantity: 1, unitPrice: '1.005' })],
      'EUR',
    );
    expect(totals.lines.map((l) => l.net)).toEqual(['0.01', '1.01']);
    expect(totals.total).toBe('1.02');
  });

  it('rounds just below a half down', () => {
    const totals = computeQuoteTotals([line({ quantity: 1, unitPrice: '1.0049' })], 'EUR');
    expect(totals.total).toBe('1.00');
  });

  it('applies the discount before VAT and rounds each step per line', () => {
    // 3 × 19.99 = 59.97; 15 % off → 50.9745 → 50.97; VAT 20 % of 50.97 = 10.194 → 10.19.
    const totals = computeQuoteTotals(
      [line({ quantity: 3, unitPrice: '19.99', discountPercent: 15, vatPercent: 20 })],
      'EUR',
    );
    expect(totals.lines).toEqual([
      { subtotal: '59.97', discount: '9.00', net: '50.97', vat: '10.19', gross: '61.16' },
    ]);
    expect(totals).toMatchObject({
      subtotal: '59.97',
      discount: '9.00',
      net: '50.97',
      vat: '10.19',
      total: '61.16',
    });
  });

  it('rounds VAT half up on the rounded net', () => {
    // net 0.10; VAT 5 % = 0.005 → 0.01.
    const totals = computeQuoteTotals([line({ quantity: 1, unitPrice: '0.10', vatPercent: 5 })], 'EUR');
    expect(totals.vat).toBe('0.01');
    expect(totals.total).toBe('0.11');
  });

  it('handles fractional percentages and a 100 % discount', () => {
    const totals = computeQuoteTotals(
      [
        line({ quantity: 2, unitPrice: '10', discountPercent: '12.5', vatPercent: '5.5' }),
        line({ quantity: 1, unitPrice: '50', discountPercent: 100, vatPercent: 20 }),
      ],
      'EUR',
    );
    // 20 × 0.875 = 17.50; VAT 5.5 % of 17.50 = 0.9625 → 0.96.
    expect(totals.lines[0]).toEqual({
      subtotal: '20.00',
      discount: '2.50',
      net: '17.50',
      vat: '0.96',
      gross: '18.46',
    });
    expect(totals.lines[1]).toEqual({
      subtotal: '50.00',
      discount: '50.00',
      net: '0.00',
      vat: '0.00',
      gross: '0.00',
    });
    expect(totals).toMatchObject({
      subtotal: '70.00',
      discount: '52.50',
      net: '17.50',
      vat: '0.96',
      total: '18.46',
    });
  });

  it('uses the currency minor units: JPY has none, KWD three, unknown currencies two', () => {
    const lines = [line({ quantity: 3, unitPrice: '333.335', vatPercent: 10 })];
    expect(computeQuoteTotals(lines, 'JPY')).toMatchObject({ net: '1000', vat: '100', total: '1100' });
    expect(computeQuoteTotals(lines, 'KWD')).toMatchObject({
      net: '1000.005',
      vat: '100.001',
      total: '1100.006',
    });
    expect(computeQuoteTotals(lines, 'XYZ')).toMatchObject({
      net: '1000.01',
      vat: '100.00',
      total: '1100.01',
    });
    expect(computeQuoteTotals(lines, 'jpy').currency).toBe('JPY');
  });

  it('rounds half up to whole yen', () => {
    const totals = computeQuoteTotals(
      [line({ quantity: 1, unitPrice: '100.5' }), line({ quantity: 1, unitPrice: '100.4999' })],
      'JPY',
    );
    expect(totals.lines.map((l) => l.net)).toEqual(['101', '100']);
    expect(totals.total).toBe('201');
  });

  it('sums 500 lines exactly, and the totals equal the sum of the printed line amounts', () => {
    const lines = Array.from({ length: 500 }, (_, i) =>
      line({
        quantity: '0.3333',
        unitPrice: `${(i % 7) + 0.1}`,
        discountPercent: i % 3,
        vatPercent: [0, 9, 20][i % 3],
      }),
    );
    const totals = computeQuoteTotals(lines, 'EUR');
    expect(totals.lines).toHaveLength(500);
    // Sum in integer cents: independent of the code under test's decimal arithmetic.
    const cents = (amount: string) => {
      expect(amount).toMatch(/^\d+\.\d{2}$/);
      return BigInt(amount.replace('.', ''));
    };
    const sum = (pick: (l: (typeof totals.lines)[number]) => string) =>
      totals.lines.reduce((s, l) => s + cents(pick(l)), 0n);
    expect(cents(totals.subtotal)).toBe(sum((l) => l.subtotal));
    expect(cents(totals.discount)).toBe(sum((l) => l.discount));
    expect(cents(totals.net)).toBe(sum((l) => l.net));
    expect(cents(totals.vat)).toBe(sum((l) => l.vat));
    expect(cents(totals.total)).toBe(sum((l) => l.gross));
    expect(cents(totals.subtotal) - cents(totals.discount)).toBe(cents(totals.net));
    expect(cents(totals.net) + cents(totals.vat)).toBe(cents(totals.total));
    for (const l of totals.lines) expect(cents(l.net) + cents(l.vat)).toBe(cents(l.gross));
  });

  it('breaks VAT down by rate, ascending, adding up to the totals', () => {
    const totals = computeQuoteTotals(
      [
        line({ quantity: 1, unitPrice: '100', vatPercent: 20 }),
        line({ quantity: 1, unitPrice: '10', vatPercent: '5.50' }),
        line({ quantity: 1, unitPrice: '33.33', vatPercent: '20.00' }),
        line({ quantity: 1, unitPrice: '7' }),
      ],
      'EUR',
    );
    expect(totals.vatBreakdown).toEqual([
      { rate: '0', net: '7.00', vat: '0.00' },
      { rate: '5.5', net: '10.00', vat: '0.55' },
      // Per line: 20.00 + (6.666 → 6.67).
      { rate: '20', net: '133.33', vat: '26.67' },
    ]);
    expect(totals.vat).toBe('27.22');
  });

  it('sums VAT per line, not on the rate total (so the PDF lines add up)', () => {
    // Three lines of 0.05 at 10 %: each VAT 0.005 → 0.01, so 0.03; 10 % of 0.15 would be 0.02.
    const lines = [1, 2, 3].map(() => line({ quantity: 1, unitPrice: '0.05', vatPercent: 10 }));
    const totals = computeQuoteTotals(lines, 'EUR');
    expect(totals.vat).toBe('0.03');
    expect(totals.vatBreakdown).toEqual([{ rate: '10', net: '0.15', vat: '0.03' }]);
  });

  it('gives zeros for no lines', () => {
    expect(computeQuoteTotals([], 'EUR')).toEqual({
      currency: 'EUR',
      lines: [],
      subtotal: '0.00',
      discount: '0.00',
      net: '0.00',
      vat: '0.00',
      total: '0.00',
      vatBreakdown: [],
    });
  });

  it('never answers in exponent notation for large amounts', () => {
    const totals = computeQuoteTotals(
      [line({ quantity: '999999999.9999', unitPrice: '999999999999.9999', vatPercent: 100 })],
      'EUR',
    );
    expect(totals.total).toMatch(/^\d+\.\d{2}$/);
    // (1e9 − 0.0001) × (1e12 − 0.0001) = 999999999999899900000.00000001, exactly.
    expect(totals.net).toBe('999999999999899900000.00');
  });
});
