/** Deep-freezes plain objects and arrays in place (class instances are left as they are). */
export const deepFreeze = <A>(a: A): A => {
  if (typeof a !== "object" || a === null || Object.isFrozen(a)) return a;
  const proto = Object.getPrototypeOf(a) as unknown;
  if (!Array.isArray(a) && proto !== Object.prototype && proto !== null) return a;
  Object.freeze(a);
  for (const v of Object.values(a)) deepFreeze(v);
  return a;
};
