import { formatMoney, groupThousands, minorUnits, roundMoney, toBig } from '../../../shared/domain/money';

describe('money', () => {
  it('knows the minor units of a few currencies and defaults to 2', () => {
    expect([
      minorUnits('EUR'),
      minorUnits('usd'),
      minorUnits('JPY'),
      minorUnits('KWD'),
      minorUnits('BHD'),
    ]).toEqual([2, 2, 0, 3, 3]);
    expect(minorUnits('SEK')).toBe(2);
    expect(minorUnits('ABC')).toBe(2);
  });

  it('formats from the decimal string, grouping thousands, rounding half up', () => {
    expect(formatMoney('1234567.5', 'EUR')).toBe('1,234,567.50 EUR');
    expect(formatMoney('0', 'usd')).toBe('0.00 USD');
    expect(formatMoney('999.995', 'GBP')).toBe('1,000.00 GBP');
    expect(formatMoney('1234.5', 'JPY')).toBe('1,235 JPY');
    expect(formatMoney('1234.5', 'KWD')).toBe('1,234.500 KWD');
    expect(formatMoney('-1234.005', 'EUR')).toBe('-1,234.01 EUR');
    expect(formatMoney('-0.001', 'EUR')).toBe('0.00 EUR');
  });

  it('keeps every digit of amounts beyond float precision', () => {
    // 2^53 + 1 cannot be a JS number; Intl.NumberFormat would print ...992.
    expect(formatMoney('9007199254740993.01', 'EUR')).toBe('9,007,199,254,740,993.01 EUR');
  });

  it('refuses anything but a plain decimal string', () => {
    expect(() => formatMoney('1e3', 'EUR')).toThrow(TypeError);
    expect(() => formatMoney('12,5', 'EUR')).toThrow(TypeError);
    expect(() => groupThousands('abc')).toThrow(TypeError);
  });

  it('groups without touching the fraction', () => {
    expect(groupThousands('1000')).toBe('1,000');
    expect(groupThousands('123')).toBe('123');
    expect(groupThousands('1234.56789')).toBe('1,234.56789');
    expect(groupThousands('-1000000', ' ')).toBe('-1 000 000');
  });

  it('rounds to minor units with a fixed number of decimals', () => {
    expect(roundMoney(toBig('2.345'), 'EUR')).toBe('2.35');
    expect(roundMoney(toBig('2.344999'), 'EUR')).toBe('2.34');
    expect(roundMoney(toBig('7'), 'KWD')).toBe('7.000');
  });
});
