/**
 * Append-only collections that are persistent from the outside and O(1) to extend inside.
 *
 * A value is a view: a backing store shared between versions and the length this version sees.
 * Nothing below a version's length is ever written again, so every value keeps meaning what it
 * meant when it was made, whoever extends the store later. Extending the newest version (the
 * "tip") writes into the shared store in place; extending an older version (a branch) first
 * copies what that version sees. A fold that only ever steps its latest state is linear; a
 * caller that keeps an old state and steps it again pays one copy and gets a correct answer.
 */

interface LogStore<A> {
  readonly values: A[];
}

/** An append-only sequence (opaque: read it with `logToArray`, `logLast`, `logLength`). */
export interface AppendLog<A> {
  readonly store: LogStore<A>;
  readonly length: number;
}

/** The empty log. */
export const emptyLog = <A>(): AppendLog<A> => ({ store: { values: [] }, length: 0 });

/** The log with `a` after everything `log` holds; `log` itself is unchanged. */
export const logAppend = <A>(log: AppendLog<A>, a: A): AppendLog<A> => {
  if (log.store.values.length === log.length) {
    log.store.values.push(a); // the tip: nobody sees past `length`, extend in place
    return { store: log.store, length: log.length + 1 };
  }
  const values = log.store.values.slice(0, log.length); // a branch: copy what it sees
  values.push(a);
  return { store: { values }, length: values.length };
};

/** The values a log holds, or null for anything that is not a readable log. Never throws. */
const viewOf = <A>(log: AppendLog<A>): { values: readonly A[]; length: number } | null => {
  try {
    const length: unknown = log.length;
    const values: unknown = log.store.values;
    return typeof length === "number" && Array.isArray(values) && length <= values.length
      ? { values: values as A[], length }
      : null;
  } catch {
    return null;
  }
};

/** How many values the log holds (0 for anything that is not a log). */
export const logLength = <A>(log: AppendLog<A>): number => viewOf(log)?.length ?? 0;

/** The last value, if any (undefined for anything that is not a log). */
export const logLast = <A>(log: AppendLog<A>): A | undefined => {
  const v = viewOf(log);
  return v === null || v.length === 0 ? undefined : v.values[v.length - 1];
};

/** The log's values, oldest first, as a fresh array the caller owns ([] for a non-log). */
export const logToArray = <A>(log: AppendLog<A>): A[] => {
  const v = viewOf(log);
  return v === null ? [] : v.values.slice(0, v.length);
};

interface MapStore<K, V> {
  readonly entries: Map<K, { readonly value: V; readonly seq: number }>;
  count: number;
}

/** A map whose keys, once added, keep their value (opaque: read it with `appendMapGet`). */
export interface AppendMap<K, V> {
  readonly store: MapStore<K, V>;
  readonly size: number;
}

/** The empty map. */
export const emptyAppendMap = <K, V>(): AppendMap<K, V> => ({
  store: { entries: new Map(), count: 0 },
  size: 0,
});

/** The value this version holds for `key`. */
export const appendMapGet = <K, V>(m: AppendMap<K, V>, key: K): V | undefined => {
  const e = m.store.entries.get(key);
  return e !== undefined && e.seq < m.size ? e.value : undefined;
};

/** The map with `key` added; a key it already holds keeps its value. `m` itself is unchanged. */
export const appendMapAdd = <K, V>(m: AppendMap<K, V>, key: K, value: V): AppendMap<K, V> => {
  if (appendMapGet(m, key) !== undefined) return m;
  if (m.store.count === m.size) {
    m.store.entries.set(key, { value, seq: m.size }); // the tip: extend in place
    m.store.count++;
    return { store: m.store, size: m.size + 1 };
  }
  const entries = new Map([...m.store.entries].filter(([, e]) => e.seq < m.size));
  entries.set(key, { value, seq: m.size });
  return { store: { entries, count: m.size + 1 }, size: m.size + 1 };
};
