/**
 * Values that answer one thing to the first read and another after: a getter (`twoFaced`) and
 * a Proxy (`twoFacedProxy`). An entry point that validates a value and then reads the caller's
 * object again uses the second answer; one that reads once never sees it.
 */

/** An object whose `key` answers `first` on the first read and `then` on every later one. */
export const twoFaced = <T extends object>(
  base: T,
  key: string,
  first: unknown,
  then: unknown,
): T => {
  let reads = 0;
  const copy = (Array.isArray(base) ? [...(base as unknown[])] : { ...base }) as Record<
    string,
    unknown
  >;
  delete copy[key];
  return Object.defineProperty(copy, key, {
    enumerable: true,
    get: () => (reads++ === 0 ? first : then),
  }) as T;
};

/** A Proxy over `base` whose `key` answers `first` on the first read and `then` after. */
export const twoFacedProxy = <T extends object>(
  base: T,
  key: string,
  first: unknown,
  then: unknown,
): T => {
  let reads = 0;
  // A copy as the target: a frozen one could not answer differently (a Proxy invariant).
  return new Proxy(
    { ...base },
    {
      get: (target, k, receiver) =>
        k === key ? (reads++ === 0 ? first : then) : (Reflect.get(target, k, receiver) as unknown),
    },
  );
};
