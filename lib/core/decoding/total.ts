/**
 * Total codecs for the public surface: the same codec, whose `validate` and `decode` return a
 * Left and whose `is` returns false when the value throws while it is read (a throwing getter,
 * a Proxy, a revoked Proxy), never an exception. The library's own decoding keeps using the
 * codecs themselves (it snapshots its inputs first), so no hot path pays for the wrapper.
 */
import * as t from "io-ts";

/** The message of the error a total codec reports for a value that threw while it was read. */
export const UNREADABLE = "unreadable value (a getter or a Proxy threw while it was read)";

const wrapped = new WeakSet<object>();

/**
 * `codec`, total: an object whose prototype is `codec` (so its name, `_tag`, `props`, `types`,
 * `encode`, `pipe` … and its TypeScript type are the codec's) with `validate`, `decode` and `is`
 * guarded. Wrapping a total codec again returns it as it is.
 */
export const totalCodec = <C extends t.Any>(codec: C): C => {
  if (wrapped.has(codec)) return codec;
  const total: C = Object.create(codec) as C;
  const validate = (u: unknown, c: t.Context): t.Validation<t.TypeOf<C>> => {
    try {
      return codec.validate(u, c) as t.Validation<t.TypeOf<C>>;
    } catch {
      return t.failure(u, c, UNREADABLE);
    }
  };
  const is = (u: unknown): u is t.TypeOf<C> => {
    try {
      return codec.is(u);
    } catch {
      return false;
    }
  };
  Object.defineProperties(total, {
    validate: { value: validate },
    // io-ts binds `decode` to the codec it was built as: it is rebuilt on the guarded validate.
    decode: { value: (u: unknown) => validate(u, [{ key: "", type: total, actual: u }]) },
    is: { value: is },
  });
  wrapped.add(total);
  return total;
};
