/**
 * Bridges from neverthrow to fp-ts, so every codex-fp function drops into `pipe`:
 * `Result` → `Either`, `ResultAsync` → `TaskEither`, and back.
 */
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { err, ok, ResultAsync, type Result } from "neverthrow";

/** A neverthrow Result as an fp-ts Either. */
export const toEither = <A, E_>(r: Result<A, E_>): E.Either<E_, A> =>
  r.match<E.Either<E_, A>>(E.right, E.left);

/** An fp-ts Either as a neverthrow Result. */
export const fromEither = <E_, A>(e: E.Either<E_, A>): Result<A, E_> =>
  E.isLeft(e) ? err(e.left) : ok(e.right);

/** A neverthrow ResultAsync as an fp-ts TaskEither (lazy: runs when the task is called). */
export const toTaskEither =
  <A, E_>(r: ResultAsync<A, E_> | (() => ResultAsync<A, E_>)): TE.TaskEither<E_, A> =>
  async () =>
    toEither(await (typeof r === "function" ? r() : r));

/** An fp-ts TaskEither as a neverthrow ResultAsync (starts it now). */
export const fromTaskEither = <E_, A>(te: TE.TaskEither<E_, A>): ResultAsync<A, E_> =>
  new ResultAsync(te().then(fromEither));

/** Lifts a Result-returning function to an Either-returning one, for `pipe` and `flow`. */
export const eitherK =
  <Args extends readonly unknown[], A, E_>(f: (...args: Args) => Result<A, E_>) =>
  (...args: Args): E.Either<E_, A> =>
    toEither(f(...args));

/** Lifts a ResultAsync-returning function to a TaskEither-returning one. */
export const taskEitherK =
  <Args extends readonly unknown[], A, E_>(f: (...args: Args) => ResultAsync<A, E_>) =>
  (...args: Args): TE.TaskEither<E_, A> =>
    toTaskEither(() => f(...args));
