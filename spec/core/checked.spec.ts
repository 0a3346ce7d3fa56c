/**
 * The public forms of the helpers over library-built values (issue 13, part 3): a value that is
 * not what they read is a typed error, or their neutral value where they return a plain one.
 */
import {
  buildExecCommand,
  finishTurn,
  initialTurnState,
  logLast,
  logLength,
  logToArray,
  splitUsage,
  stepTurn,
} from "../../lib/advanced/index.js";
import {
  applyDelta,
  baseOf,
  endOf,
  observedFrom,
  parseRolloutName,
  relate,
  resolveCodexHome,
} from "../../lib/sessions/index.js";
import { startThread } from "../../lib/index.js";
import { throwingGetter, throwingProxy } from "../support/arbitraries.js";
import { untyped } from "../support/untyped.js";

const HOSTILE: unknown[] = [
  null,
  undefined,
  10n,
  Symbol("s"),
  throwingProxy(),
  throwingGetter("x"),
];

describe("the helpers' public forms under hostile values", () => {
  it.each(HOSTILE.map((h) => [String(typeof h), h]))("%s: typed errors", (_what, h) => {
    const thread = startThread()._unsafeUnwrap();
    const state = initialTurnState(thread);
    expect(stepTurn(h as never, h as never)._unsafeUnwrapErr()._tag).toBe("InvalidOptions");
    expect(stepTurn(state, h as never)._unsafeUnwrapErr()._tag).toBe("InvalidOptions");
    expect(finishTurn(h as never, h as never)._unsafeUnwrapErr()._tag).toBe("InvalidOptions");
    expect(splitUsage(untyped(h), null)._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
      // the argument, or the property that threw while it was read
      path: expect.stringMatching(/^reported(\.x)?$/),
    });
    expect(buildExecCommand(untyped(h))._unsafeUnwrapErr()._tag).toBe("InvalidOptions");
    const u: never = untyped(h);
    for (const r of [baseOf(u), endOf(u), applyDelta(u, u, u), relate(u, u, u)])
      expect(r._unsafeUnwrapErr()._tag).toBe("InvalidArchive");
    expect(observedFrom(u)._unsafeUnwrapErr()._tag).toBe("InvalidOptions");
  });

  it("neutral values where a plain value is returned", () => {
    for (const h of HOSTILE) {
      expect(logLength(h as never)).toBe(0);
      expect(logLast(h as never)).toBeUndefined();
      expect(logToArray(h as never)).toEqual([]);
      expect(parseRolloutName(h as never)).toBeNull();
      expect(initialTurnState(h as never).expectedThreadId).toBeNull();
    }
  });

  it("resolveCodexHome (codex-fp/sessions) is a Result: InvalidOptions for unreadable options", () => {
    expect(resolveCodexHome({ codexHome: "/explicit" })._unsafeUnwrap()).toBe("/explicit");
    expect(resolveCodexHome(throwingProxy() as never)._unsafeUnwrapErr()._tag).toBe(
      "InvalidOptions",
    );
    expect(resolveCodexHome({ codexHome: 5 } as never)._unsafeUnwrapErr().path).toBe(
      "opts.codexHome",
    );
    expect(resolveCodexHome({ env: { HOME: 1 } } as never)._unsafeUnwrapErr().path).toBe(
      "opts.env.HOME",
    );
  });

  it("splitUsage refuses what is not a count of tokens", () => {
    const u = {
      input_tokens: 1,
      cached_input_tokens: 0,
      cache_write_input_tokens: 0,
      output_tokens: 1,
      reasoning_output_tokens: 0,
    };
    expect(splitUsage(u, null)._unsafeUnwrap()).toEqual({ usage: u, cumulativeUsage: u });
    expect(splitUsage({ ...u, input_tokens: Infinity }, null)._unsafeUnwrapErr().path).toBe(
      "reported.input_tokens",
    );
  });
});
