import { parseQuoteLinesBody, quoteLineSchema, quoteLinesSchema } from '../../../shared/domain/quote-lines';

const valid = { name: 'Consulting', quantity: 2, unitPrice: '120.50' };

function issuesOf(lines: unknown[]) {
  const result = parseQuoteLinesBody({ lines });
  if (result.success) throw new Error('expected the body to be refused');
  return result.issues;
}

describe('quote line validation', () => {
  it('accepts numbers and decimal strings alike and stores canonical decimal strings', () => {
    const fromNumbers = quoteLineSchema.parse({
      name: 'A',
      quantity: 1.5,
      unitPrice: 0.1,
      discountPercent: 10,
      vatPercent: 20,
    });
    const fromStrings = quoteLineSchema.parse({
      name: 'A',
      quantity: '1.5000',
      unitPrice: '0.10',
      discountPercent: '10.00',
      vatPercent: ' 20 ',
    });
    expect(fromNumbers).toEqual({
      name: 'A',
      quantity: '1.5',
      unitPrice: '0.1',
      discountPercent: '10',
      vatPercent: '20',
    });
    expect(fromStrings).toEqual(fromNumbers);
    for (const value of Object.values(fromNumbers)) expect(typeof value).toBe('string');
  });

  it('defaults discount and VAT to 0, trims text and drops empty optional text', () => {
    expect(
      quoteLineSchema.parse({
        name: '  Design ',
        description: '',
        unit: null,
        quantity: '007',
        unitPrice: 0,
      }),
    ).toEqual({ name: 'Design', quantity: '7', unitPrice: '0', discountPercent: '0', vatPercent: '0' });
    expect(quoteLineSchema.parse({ ...valid, description: 'Two days\non site', unit: 'h' })).toMatchObject({
      description: 'Two days\non site',
      unit: 'h',
    });
  });

  it('names the field path of a bad unit price', () => {
    const issues = issuesOf([valid, valid, { ...valid, unitPrice: 'twelve' }]);
    expect(issues).toEqual([
      { path: 'lines.2.unitPrice', message: expect.stringMatching(/^unitPrice must be a decimal number/) },
    ]);
  });

  it.each([
    ['NaN', Number.NaN, /unitPrice must be a finite number/],
    ['Infinity', Number.POSITIVE_INFINITY, /unitPrice must be a finite number/],
    ['"NaN"', 'NaN', /unitPrice must be a decimal number/],
    ['"Infinity"', 'Infinity', /unitPrice must be a decimal number/],
    ['exponent string', '1e3', /unitPrice must be written without exponent notation/],
    ['exponent number', 1e-7, /unitPrice must be written without exponent notation/],
    ['five decimals', '1.00001', /unitPrice must have at most 4 decimals/],
    ['float artefact', 0.1 + 0.2, /unitPrice must have at most 4 decimals/],
    ['negative', -1, /unitPrice must be at least 0/],
    ['decimal comma', '12,50', /unitPrice must use "\." as the decimal separator/],
    ['grouping', '1,234.50', /unitPrice must be a decimal number/],
    ['plus sign', '+5', /unitPrice must be a decimal number/],
    ['empty string', '', /unitPrice must be a decimal number/],
    ['boolean', true, /unitPrice must be a number or a decimal string/],
    ['null', null, /unitPrice is required/],
    ['13 integer digits', '1000000000000', /unitPrice must have at most 12 digits before the decimal point/],
  ])('refuses a unit price that is %s', (_label, unitPrice, message) => {
    const issues = issuesOf([{ ...valid, unitPrice }]);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('lines.0.unitPrice');
    expect(issues[0]?.message).toMatch(message);
  });

  it.each([
    ['zero', 0, /quantity must be greater than 0/],
    ['negative', '-2', /quantity must be greater than 0/],
    ['five decimals', '0.00001', /quantity must have at most 4 decimals/],
    ['missing', undefined, /quantity is required/],
  ])('refuses a quantity that is %s', (_label, quantity, message) => {
    const issues = issuesOf([{ ...valid, quantity }]);
    expect(issues).toEqual([{ path: 'lines.0.quantity', message: expect.stringMatching(message) }]);
  });

  it('allows four decimals on quantity and unit price, two on percentages', () => {
    expect(
      quoteLineSchema.parse({
        name: 'x',
        quantity: '0.0001',
        unitPrice: '9.9999',
        discountPercent: '99.99',
        vatPercent: 100,
      }),
    ).toMatchObject({ quantity: '0.0001', unitPrice: '9.9999', discountPercent: '99.99', vatPercent: '100' });
  });

  it('refuses percentages outside 0..100 or with more than two decimals', () => {
    const issues = issuesOf([
      { ...valid, discountPercent: 100.01, vatPercent: -1 },
      { ...valid, discountPercent: '12.345', vatPercent: '101' },
    ]);
    expect(issues).toEqual([
      {
        path: 'lines.0.discountPercent',
        message: expect.stringMatching(/^discountPercent must be at most 100/),
      },
      { path: 'lines.0.vatPercent', message: expect.stringMatching(/^vatPercent must be at least 0/) },
      {
        path: 'lines.1.discountPercent',
        message: expect.stringMatching(/^discountPercent must have at most 2 decimals/),
      },
      { path: 'lines.1.vatPercent', message: expect.stringMatching(/^vatPercent must be at most 100/) },
    ]);
  });

  it('checks the lengths of name, description and unit', () => {
    const issues = issuesOf([
      { ...valid, name: '' },
      { ...valid, name: 'n'.repeat(201) },
      { ...valid, description: 'd'.repeat(2001) },
      { ...valid, unit: 'u'.repeat(21) },
      { quantity: 1, unitPrice: 1 },
      { ...valid, name: 42 },
    ]);
    expect(issues).toEqual([
      { path: 'lines.0.name', message: 'name must not be empty' },
      { path: 'lines.1.name', message: 'name must have at most 200 characters' },
      { path: 'lines.2.description', message: 'description must have at most 2000 characters' },
      { path: 'lines.3.unit', message: 'unit must have at most 20 characters' },
      { path: 'lines.4.name', message: 'name is required' },
      { path: 'lines.5.name', message: 'name must be a string' },
    ]);
    expect(
      quoteLineSchema.parse({ ...valid, name: 'n'.repeat(200), description: 'd'.repeat(2000) }).name,
    ).toHaveLength(200);
  });

  it('refuses unknown fields, naming them', () => {
    expect(issuesOf([{ ...valid, unit_price: 5 }])).toEqual([
      { path: 'lines.0', message: 'unknown field(s): unit_price' },
    ]);
  });

  it('reports every bad field at once', () => {
    const issues = issuesOf([{ name: '', quantity: 'x', unitPrice: -1 }]);
    expect(issues.map((i) => i.path)).toEqual(['lines.0.name', 'lines.0.quantity', 'lines.0.unitPrice']);
  });

  it('takes at most 500 lines', () => {
    const lines = Array.from({ length: 500 }, () => valid);
    expect(quoteLinesSchema.safeParse(lines).success).toBe(true);
    expect(issuesOf([...lines, valid])).toEqual([
      { path: 'lines', message: 'lines must have at most 500 entries' },
    ]);
  });

  it('refuses a body without a lines array', () => {
    expect(parseQuoteLinesBody({}).success).toBe(false);
    expect(parseQuoteLinesBody({ lines: {} })).toEqual({
      success: false,
      issues: [{ path: 'lines', message: 'lines must be an array' }],
    });
    expect(parseQuoteLinesBody({ lines: [] })).toEqual({ success: true, data: { lines: [] } });
  });
});
