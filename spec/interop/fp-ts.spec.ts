/**
 * fp-ts bridges: codex-fp returns neverthrow Results; these turn them into Either and
 * TaskEither (and back) so every function drops into `pipe`.
 */
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { err, errAsync, ok, okAsync, type ResultAsync } from "neverthrow";

import {
  eitherK,
  fromEither,
  fromTaskEither,
  parseThreadId,
  resumeThread,
  startThread,
  taskEitherK,
  toEither,
  toTaskEither,
  withThreadOptions,
  type Thread,
  type ThreadError,
} from "../../lib/index.js";

describe("toEither and fromEither", () => {
  it("map Ok to Right and Err to Left, and back", () => {
    expect(toEither(ok(1))).toEqual(E.right(1));
    expect(toEither(err("e"))).toEqual(E.left("e"));
    expect(fromEither(E.right(1))).toEqual(ok(1));
    expect(fromEither(E.left("e"))).toEqual(err("e"));
    expect(fromEither(toEither(ok("x")))._unsafeUnwrap()).toBe("x");
  });

  it("carry a codex-fp error unchanged", () => {
    const e = toEither(parseThreadId("-x"));
    expect(E.isLeft(e) && e.left._tag).toBe("InvalidThreadId");
  });
});

describe("eitherK", () => {
  it("lets codex-fp functions chain in a pipe", () => {
    const result = pipe(
      toEither(startThread({}, { model: "gpt-5" })),
      E.chain(eitherK((t: Thread) => withThreadOptions(t, { sandboxMode: "read-only" }))),
      E.map((t) => t.threadOptions),
    );
    expect(result).toEqual(E.right({ model: "gpt-5", sandboxMode: "read-only" }));
  });

  it("stops at the first error", () => {
    const result = pipe(
      "thread_abc123",
      eitherK((id: string) => resumeThread(id)),
      E.chain(eitherK((t: Thread) => withThreadOptions(t, { model: "-x" }))),
      E.mapLeft((e: ThreadError) => e._tag),
    );
    expect(result).toEqual(E.left("InvalidOptions"));
  });
});

describe("toTaskEither and fromTaskEither", () => {
  it("turn a ResultAsync into a TaskEither", async () => {
    expect(await toTaskEither(okAsync(1))()).toEqual(E.right(1));
    expect(await toTaskEither(errAsync("e"))()).toEqual(E.left("e"));
  });

  it("do not start a lazily given ResultAsync until the task runs", async () => {
    let started = 0;
    const task = toTaskEither(() => {
      started += 1;
      return okAsync(started);
    });
    expect(started).toBe(0);
    expect(await task()).toEqual(E.right(1));
    expect(await task()).toEqual(E.right(2));
  });

  it("turn a TaskEither into a ResultAsync", async () => {
    expect((await fromTaskEither(TE.right(1)))._unsafeUnwrap()).toBe(1);
    expect((await fromTaskEither(TE.left("e")))._unsafeUnwrapErr()).toBe("e");
  });
});

describe("taskEitherK", () => {
  it("lifts a ResultAsync function into a TaskEither pipe", async () => {
    const fetchLength = (s: string): ResultAsync<number, string> =>
      s.length > 0 ? okAsync(s.length) : errAsync("empty");
    const program = pipe(
      TE.right<string, string>("codex"),
      TE.chain(taskEitherK(fetchLength)),
      TE.map((n) => n * 2),
    );
    expect(await program()).toEqual(E.right(10));
    expect(await pipe(TE.right<string, string>(""), TE.chain(taskEitherK(fetchLength)))()).toEqual(
      E.left("empty"),
    );
  });
});
