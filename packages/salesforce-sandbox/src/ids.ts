/**
 * Salesforce record ids: a 3-character key prefix, then a base-62 body, 15 characters in all
 * (case-sensitive), plus a 3-character suffix that encodes the case of the first 15 so the
 * 18-character form is case-insensitive.
 * https://help.salesforce.com/s/articleView?id=000385008 (What are Salesforce IDs composed of?)
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID15 = /^[a-zA-Z0-9]{15}$/;
const ID18 = /^[a-zA-Z0-9]{18}$/;

/** The 3-character suffix: one character per 5-character chunk, bit i set when character i is A-Z. */
export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return suffix;
}

export function to18(id15: string): string {
  return id15 + checksumSuffix(id15);
}

/**
 * Turns a 15- or 18-character id as a client may send it into the canonical 18-character form,
 * or undefined when it is not an id. An 18-character id is case-insensitive: its suffix restores the
 * case of the first 15 characters, as Salesforce does.
 */
export function normalizeId(input: string): string | undefined {
  if (ID15.test(input)) return to18(input);
  if (!ID18.test(input)) return undefined;
  const suffix = input.slice(15).toUpperCase();
  let body = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    const bits = SUFFIX.indexOf(suffix.charAt(chunk));
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i += 1) {
      const c = input.charAt(chunk * 5 + i);
      body += (bits >> i) & 1 ? c.toUpperCase() : c.toLowerCase();
    }
  }
  const canonical = to18(body);
  return canonical.slice(15) === suffix ? canonical : undefined;
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

/**
 * Generates ids like Salesforce's: prefix + 2-character pod + reserved '0' + 9-character counter.
 * An org that persists (see persistence.ts) reserves blocks of the counter ahead of use, so no id
 * is issued twice, even after a crash that lost the org's last changes.
 */
export class IdGenerator {
  private counter = 0;
  private reservedUpTo = Number.POSITIVE_INFINITY;
  private reserve: ((upTo: number) => void) | undefined;

  constructor(private readonly pod = '5g') {}

  /** How many ids were issued so far (the sequence a restored org continues). */
  get issued(): number {
    return this.counter;
  }

  next(keyPrefix: string): string {
    this.counter += 1;
    if (this.counter > this.reservedUpTo && this.reserve) {
      this.reservedUpTo = this.counter + ID_RESERVATION_BLOCK - 1;
      this.reserve(this.reservedUpTo);
    }
    let n = this.counter;
    let body = '';
    for (let i = 0; i < 9; i += 1) {
      body = BASE62.charAt(n % 62) + body;
      n = Math.floor(n / 62);
    }
    // A fixed capital in the body keeps the case checksum non-trivial for every id.
    return to18(`${keyPrefix}${this.pod}0${body.slice(0, 3)}Q${body.slice(4)}`);
  }

  /** Continues after `issued` ids; never goes back. */
  resume(issued: number): void {
    this.counter = Math.max(this.counter, issued);
  }

  /**
   * From now on every id comes from a block written down first: `reserve(upTo)` must record it
   * durably before it returns.
   */
  reserveWith(reserve: (upTo: number) => void): void {
    this.reserve = reserve;
    this.reservedUpTo = this.counter;
  }

  reset(): void {
    this.counter = 0;
  }
}

/** How many ids one reservation covers: one small write per thousand records. */
export const ID_RESERVATION_BLOCK = 1000;
