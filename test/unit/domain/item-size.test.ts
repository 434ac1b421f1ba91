import {
  checkItemBudget,
  DYNAMODB_ITEM_LIMIT_BYTES,
  ITEM_BUDGET_BYTES,
  ItemTooLargeError,
  itemSizeBytes,
  largestParts,
} from '../../../shared/domain/item-size';

describe('item sizes as DynamoDB counts them', () => {
  test('names and strings count their UTF-8 bytes; numbers about a byte per two digits; booleans and nulls one', () => {
    expect(itemSizeBytes({ a: 'abc' })).toBe(4);
    expect(itemSizeBytes({ a: '漢' })).toBe(4);
    expect(itemSizeBytes({ a: '😀' })).toBe(5);
    expect(itemSizeBytes({ n: 12345 })).toBe(1 + 4);
    expect(itemSizeBytes({ t: true, z: null })).toBe(4);
    expect(itemSizeBytes({ gone: undefined })).toBe(0);
  });

  test('lists and maps add 3 bytes and one per element, and count their keys', () => {
    expect(itemSizeBytes({ l: ['a', 'b'] })).toBe(1 + 3 + 2 + 2);
    expect(itemSizeBytes({ m: { k: 'v' } })).toBe(1 + 3 + 1 + 1 + 1);
  });

  test('the budget leaves room under the 400 KB limit for what is written unchecked', () => {
    expect(DYNAMODB_ITEM_LIMIT_BYTES).toBe(409_600);
    expect(ITEM_BUDGET_BYTES).toBe(409_600 - 4096);
  });
});

describe('checking the budget before a write', () => {
  const item = { title: 'x', customFields: { small: 'ab', notes: 'n'.repeat(ITEM_BUDGET_BYTES) } };

  test('the largest parts are named by path, into maps', () => {
    expect(largestParts(item, 2)).toEqual([
      { path: 'customFields.notes', bytes: 5 + ITEM_BUDGET_BYTES },
      { path: 'customFields.small', bytes: 7 },
    ]);
  });

  test('an item over the budget is refused, naming the largest field the write changes', () => {
    const refusal = (() => {
      try {
        checkItemBudget('the quote q1', item, { title: 'x', customFields: { small: 'ab' } });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ItemTooLargeError);
    expect(refusal).toMatchObject({
      field: 'customFields.small',
      issues: [
        {
          path: 'customFields.small',
          message: expect.stringMatching(/^is too large: the quote q1 would be 396\.0 KiB/),
        },
      ],
    });
    expect(() => checkItemBudget('the quote q1', item)).toThrow(/its largest field is customFields\.notes$/);
  });

  test('an item at the budget passes', () => {
    const fits = { a: 'a'.repeat(ITEM_BUDGET_BYTES - 1) };
    expect(itemSizeBytes(fits)).toBe(ITEM_BUDGET_BYTES);
    expect(() => checkItemBudget('it', fits)).not.toThrow();
  });
});
