/**
 * The value or the error of a Result a spec expects to be one or the other; anything else fails
 * the test with what came instead (and `what`, to say which case).
 */
import type { Result } from "neverthrow";

const show = (u: unknown): string => {
  try {
    return JSON.stringify(u) ?? String(u);
  } catch {
    return String(u);
  }
};

/** The Ok value of `r`; fails the test when it is an Err. */
export const okOf = <A, E>(r: Result<A, E>, what = ""): A => {
  if (r.isErr()) throw new Error(`${what ? `${what}: ` : ""}expected Ok, got ${show(r.error)}`);
  return r.value;
};

/** The Err value of `r`; fails the test when it is an Ok. */
export const errOf = <A, E>(r: Result<A, E>, what = ""): E => {
  if (r.isOk()) throw new Error(`${what ? `${what}: ` : ""}expected Err, got Ok: ${show(r.value)}`);
  return r.error;
};
