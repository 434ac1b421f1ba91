import { checkItemBudget, ItemTooLargeError, itemSizeBytes, largestParts } from '../../domain/item-size';

/** How an item names itself in an error: its kind and the id in its sort key ("the quote sf-006…"). */
export function itemName(item: Record<string, unknown>): string {
  const id = String(item.sk ?? '')
    .split('#')
    .slice(1)
    .join('#');
  return `the ${String(item.entity ?? 'item')}${id ? ` ${id}` : ''}`;
}

/** Before a put: the whole item is known, so its size is checked here whatever the caller checked. */
export function checkPutBudget(item: Record<string, unknown>): void {
  checkItemBudget(itemName(item), item);
}

/**
 * DynamoDB's own refusal of an item over 400 KB: a ValidationException "Item size has exceeded
 * the maximum allowed size" (an UpdateItem that grows the item past it; dynalite never sends it).
 */
function isItemSizeRefusal(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ValidationException' &&
    /item size (has exceeded|to update has exceeded)/i.test(error.message)
  );
}

/**
 * Runs an update whose result the caller checked from what it read: should a concurrent write
 * have grown the item meanwhile, DynamoDB's refusal becomes the same ItemTooLargeError.
 */
export async function refusingOversize<T>(
  what: string,
  attempted: Record<string, unknown>,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isItemSizeRefusal(error)) throw error;
    throw new ItemTooLargeError(
      what,
      itemSizeBytes(attempted),
      largestParts(attempted, 1)[0]?.path ?? 'the item',
      undefined,
      { cause: error },
    );
  }
}
