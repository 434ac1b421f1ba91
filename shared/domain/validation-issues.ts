import type * as z from 'zod';

/**
 * Whether a zod issue is about a value that is not there at all. zod 4 leaves the input out of
 * its issues (unless asked), so a missing value is told apart from a wrong one by its message:
 * "Invalid input: expected object, received undefined" against "…, received array".
 */
export function isMissingValue(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
}
