/** Deep-freezes plain objects and arrays in place (class instances are left as they are). */
export const deepFreeze = <A>(a: A): A => {
  if (typeof a !== "object" || a === null) return a;
  if (Array.isArray(a)) {
    for (let i = 0; i < a.length; i++) deepFreeze(a[i] as unknown);
    return Object.freeze(a);
  }
  const proto = Object.getPrototypeOf(a) as unknown;
  if (proto !== Object.prototype && proto !== null) return a;
  const o = a as Record<string, unknown>;
  for (const k in o) deepFreeze(o[k]);
  return Object.freeze(a);
};
