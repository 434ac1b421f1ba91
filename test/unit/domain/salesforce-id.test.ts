import {
  isExactSalesforceId,
  isSalesforceId,
  sameSalesforceId,
  toId18,
} from '../../../shared/domain/salesforce-id';

/** Ids as Salesforce documents them: https://help.salesforce.com/s/articleView?id=000385008 */
describe('Salesforce ids', () => {
  const id15 = '0065g00000Xyz12';
  const id18 = '0065g00000Xyz12AAB';

  test('the 18-character form appends the checksum of the capitalisation', () => {
    expect(toId18(id15)).toBe(id18);
    expect(toId18(id18)).toBe(id18);
    expect(toId18('001000000000000')).toBe('001000000000000AAA');
  });

  test('an 18-character id is read case-insensitively: its suffix restores the case', () => {
    expect(isSalesforceId(id18.toLowerCase())).toBe(true);
    expect(toId18(id18.toLowerCase())).toBe(id18);
    expect(toId18(id18.toUpperCase())).toBe(id18);
  });

  test('exactly as Salesforce writes them: a changed case or a wrong checksum is not', () => {
    expect(isExactSalesforceId(id15)).toBe(true);
    expect(isExactSalesforceId(id18)).toBe(true);
    expect(isExactSalesforceId(id18.toLowerCase())).toBe(false);
    expect(isExactSalesforceId(`${id15}AAA`)).toBe(false);
  });

  test.each([
    ['too short', 'abc'],
    ['16 characters', `${id15}A`],
    ['not alphanumeric', "006' OR Id != '"],
    ['a checksum that marks a digit as upper case', '000000000000000ZZZ'],
    ['a checksum character outside the alphabet', `${id15}AA9`],
  ])('%s is no id', (_name, text) => {
    expect(isSalesforceId(text)).toBe(false);
    expect(isExactSalesforceId(text)).toBe(false);
    expect(() => toId18(text)).toThrow(TypeError);
  });

  test('two ids name one record when their 15-character forms are equal', () => {
    expect(sameSalesforceId(id15, id18)).toBe(true);
    expect(sameSalesforceId(id18.toLowerCase(), id15)).toBe(true);
    expect(sameSalesforceId('0065g00000Xyz13', id18)).toBe(false);
    expect(sameSalesforceId('abc', 'abc')).toBe(false);
  });
});
