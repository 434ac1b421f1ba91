import { checksumSuffix, IdGenerator, normalizeId, to18 } from '../../../src/ids';

describe('Salesforce ids', () => {
  it('computes the case checksum Salesforce documents', () => {
    // Examples from Salesforce's REST API documentation.
    expect(to18('001D000000IRFma')).toBe('001D000000IRFmaIAH');
    expect(checksumSuffix('001D000000IqhSL')).toBe('IAZ');
  });

  it('accepts 15-character ids and 18-character ids in any case', () => {
    expect(normalizeId('001D000000IRFma')).toBe('001D000000IRFmaIAH');
    expect(normalizeId('001d000000irfmaiah')).toBe('001D000000IRFmaIAH');
    expect(normalizeId('001D000000IRFmaIAH')).toBe('001D000000IRFmaIAH');
  });

  it('rejects what is not an id', () => {
    expect(normalizeId('not-an-id')).toBeUndefined();
    expect(normalizeId('001D000000IRFmaIA')).toBeUndefined();
    expect(normalizeId('001D000000IRFma999')).toBeUndefined();
  });

  it('generates 18-character ids with the key prefix and a valid suffix', () => {
    const ids = new IdGenerator();
    const a = ids.next('006');
    const b = ids.next('006');
    expect(a).toHaveLength(18);
    expect(a.startsWith('006')).toBe(true);
    expect(a).not.toBe(b);
    expect(normalizeId(a.toLowerCase())).toBe(a);
    expect(to18(a.slice(0, 15))).toBe(a);
  });
});
