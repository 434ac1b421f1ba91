/**
 * Salesforce record ids come in a case-sensitive 15-character form and a case-insensitive
 * 18-character form (the 15 plus a 3-character checksum of the capitalisation: one character
 * per 5-character chunk, bit i set when character i is an upper-case letter).
 * https://help.salesforce.com/s/articleView?id=000385008
 */
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

function suffixOf(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/**
 * The canonical 18-character form, or undefined when the text is no id. An 18-character id is
 * read as Salesforce reads it, case-insensitively: its suffix restores the case of the first 15,
 * and a suffix that marks a digit as upper-case (a checksum that cannot match) is refused.
 */
function canonical(id: string): string | undefined {
  if (!ID_PATTERN.test(id)) return undefined;
  if (id.length === 15) return id + suffixOf(id);
  const suffix = id.slice(15).toUpperCase();
  let restored = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix.charAt(chunk));
    if (bits === -1) return undefined;
    for (let i = 0; i < 5; i++) {
      const c = id.charAt(chunk * 5 + i);
      const upper = (bits & (1 << i)) !== 0;
      if (upper && !/[a-zA-Z]/.test(c)) return undefined;
      restored += upper ? c.toUpperCase() : c.toLowerCase();
    }
  }
  return restored + suffix;
}

/** 15 alphanumerics, or 18 that Salesforce would read as an id (case-insensitively). */
export function isSalesforceId(value: string): boolean {
  return canonical(value) !== undefined;
}

/**
 * Exactly as Salesforce writes ids: 15 alphanumerics, or 18 whose last three are the checksum
 * of the first fifteen's case. What Salesforce sends (outbound messages, REST) always passes;
 * an 18-character id that fails was altered on the way.
 */
export function isExactSalesforceId(value: string): boolean {
  return canonical(value) === (value.length === 15 ? value + suffixOf(value) : value);
}

/** Returns the canonical 18-character form of a 15- or 18-character id. */
export function toId18(id: string): string {
  const id18 = canonical(id);
  if (id18 === undefined) throw new TypeError(`Not a Salesforce id: ${JSON.stringify(id)}`);
  return id18;
}

/** Two ids name the same record when their case-sensitive 15-character forms are equal. */
export function sameSalesforceId(a: string, b: string): boolean {
  const x = canonical(a);
  const y = canonical(b);
  return x !== undefined && y !== undefined ? x.slice(0, 15) === y.slice(0, 15) : false;
}
