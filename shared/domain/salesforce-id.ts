/**
 * Salesforce record ids come in a case-sensitive 15-character form and a case-insensitive
 * 18-character form (the 15 plus a 3-character checksum of the capitalisation).
 * https://help.salesforce.com/s/articleView?id=000385008
 */
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function isSalesforceId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** Returns the 18-character form of a 15- or 18-character id. */
export function toId18(id: string): string {
  if (!isSalesforceId(id)) throw new TypeError(`Not a Salesforce id: ${JSON.stringify(id)}`);
  if (id.length === 18) return id;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return id + suffix;
}

/** Two ids name the same record when their case-sensitive 15-character forms are equal. */
export function sameSalesforceId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}
