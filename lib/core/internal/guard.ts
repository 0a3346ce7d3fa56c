/**
 * The last line of "public functions never throw": runs `f`, turning anything it throws
 * (a hostile getter, a proxy) into an error value built by `onThrow`.
 */
import { err, type Result } from "neverthrow";

export const guard = <A, E>(f: () => Result<A, E>, onThrow: () => E): Result<A, E> => {
  try {
    return f();
  } catch {
    return err(onThrow());
  }
};
