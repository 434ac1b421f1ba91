const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character case-safe suffix that turns a 15-character id into its 18-character form. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') flags |= 1 << i;
    }
    suffix += SUFFIX.charAt(flags);
  }
  return suffix;
}

/** A sequence of ids for one key prefix; `issued` and `resume` let a persisted org continue it. */
export interface IdSequence {
  (): string;
  issued(): number;
  resume(issued: number): void;
}

/** Mints 18-character ids for one key prefix (e.g. 04k outbound message, 04l notification, 301 flow). */
export function idFactory(prefix: string, pod = '5g'): IdSequence {
  let counter = 0;
  const next = () => {
    counter += 1;
    let body = '';
    let n = counter;
    for (let i = 0; i < 10; i++) {
      body = BASE62.charAt(n % 62) + body;
      n = Math.floor(n / 62);
    }
    const id15 = `${prefix}${pod}${body}`.slice(0, 15);
    return id15 + caseSafeSuffix(id15);
  };
  return Object.assign(next, {
    issued: () => counter,
    resume: (issued: number) => {
      counter = Math.max(counter, issued);
    },
  });
}
