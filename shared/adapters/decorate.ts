/**
 * Another object with `overrides`, every other method of `target` still its own (prototype
 * delegation), so a decorator names only what it changes.
 */
export function decorate<T extends object>(target: T, overrides: Partial<T>): T {
  return Object.assign(Object.create(target) as T, overrides);
}
