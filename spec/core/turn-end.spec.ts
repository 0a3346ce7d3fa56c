/**
 * The pure end of a turn (lib/core/turn-end): which error a started turn fails with, given the
 * fold's error, the stop reason, the transport's exit and the fold's phase.
 */
import fc from "fast-check";
import { assertProperty } from "../support/property.js";
import {
  cancelledError,
  stoppedError,
  type FoldError,
  type TurnError,
  type TurnStop,
} from "../../lib/core/errors/index.js";
import type { TurnPhase } from "../../lib/core/fold.js";
import {
  finishContextOf,
  foldFailure,
  turnEndError,
  turnExitCode,
  type TurnExit,
} from "../../lib/core/turn-end.js";

const okExit: TurnExit = { ok: true, value: { exitCode: 0 } };
const execFailed: TurnExit = {
  ok: false,
  error: {
    _tag: "ExecFailed",
    path: "codex",
    message: "exited with 1",
    exitCode: 1,
    signal: null,
    stderrTail: "",
  },
};
const spawnFailed: TurnExit = {
  ok: false,
  error: { _tag: "SpawnFailed", path: "codex", message: "no" },
};
const foldErr: TurnError = {
  _tag: "ProtocolViolation",
  path: "events",
  message: "bad",
  violation: "out_of_order",
  expectedThreadId: null,
  actualThreadId: null,
};

const phases: TurnPhase[] = ["start", "thread", "turn", "completed", "failed"];
const stops: (TurnStop | null)[] = [
  null,
  { reason: "aborted" },
  { reason: "timeout", timeoutMs: 250 },
  { reason: "mismatch" },
  { reason: "consumer" },
];
const exits: TurnExit[] = [okExit, execFailed, spawnFailed];

describe("turnEndError", () => {
  it("a fold error wins over everything else", () => {
    assertProperty(
      fc.property(
        fc.constantFrom(...phases),
        fc.constantFrom(...stops),
        fc.constantFrom(...exits),
        (phase, stop, exit) => {
          expect(turnEndError({ foldError: foldErr, stop, exit, phase })).toBe(foldErr);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("a time-out is TimedOut with the turn's timeoutMs, whatever the exit", () => {
    for (const exit of exits)
      expect(
        turnEndError({
          foldError: null,
          stop: { reason: "timeout", timeoutMs: 250 },
          exit,
          phase: "turn",
        }),
      ).toMatchObject({
        _tag: "TimedOut",
        path: "turnOptions.timeoutMs",
        timeoutMs: 250,
        message: "the turn took longer than 250 ms and was stopped",
      });
  });

  it("a stop for a mismatch leaves the decision to the fold's error and the exit", () => {
    expect(
      turnEndError({ foldError: null, stop: { reason: "mismatch" }, exit: okExit, phase: "turn" }),
    ).toBeNull();
    expect(
      turnEndError({
        foldError: null,
        stop: { reason: "mismatch" },
        exit: spawnFailed,
        phase: "turn",
      }),
    ).toBe(spawnFailed.ok ? null : spawnFailed.error);
  });

  it("an abort and a consumer leaving are Aborted, with different messages", () => {
    const aborted = turnEndError({
      foldError: null,
      stop: { reason: "aborted" },
      exit: okExit,
      phase: "turn",
    });
    const left = turnEndError({
      foldError: null,
      stop: { reason: "consumer" },
      exit: okExit,
      phase: "turn",
    });
    expect(aborted).toMatchObject({ _tag: "Aborted", message: "the turn was aborted" });
    expect(left).toMatchObject({ _tag: "Aborted" });
    expect(left?.message).toMatch(/left early/);
  });

  it("a failed exit is the error, except ExecFailed after a turn.failed (the fold reports it)", () => {
    expect(turnEndError({ foldError: null, stop: null, exit: spawnFailed, phase: "failed" })).toBe(
      spawnFailed.ok ? null : spawnFailed.error,
    );
    expect(turnEndError({ foldError: null, stop: null, exit: execFailed, phase: "turn" })).toBe(
      execFailed.ok ? null : execFailed.error,
    );
    expect(
      turnEndError({ foldError: null, stop: null, exit: execFailed, phase: "failed" }),
    ).toBeNull();
  });

  it("a clean exit with no stop is finished (null) in every phase", () => {
    for (const phase of phases)
      expect(turnEndError({ foldError: null, stop: null, exit: okExit, phase })).toBeNull();
  });
});

describe("stoppedError / cancelledError", () => {
  it("a time-out carries the real limit; a transport's time-out with no limit is no TimedOut", () => {
    expect(stoppedError({ reason: "timeout", timeoutMs: 7 })).toMatchObject({
      _tag: "TimedOut",
      timeoutMs: 7,
    });
    expect(cancelledError("timeout", 9)).toMatchObject({ _tag: "TimedOut", timeoutMs: 9 });
    expect(cancelledError("timeout", undefined)).toMatchObject({
      _tag: "Aborted",
      path: "turnOptions.timeoutMs",
    });
    for (const [reason, path] of [
      ["aborted", "turnOptions.signal"],
      ["consumer", "events"],
      ["mismatch", "threadId"],
    ] as const) {
      expect(stoppedError({ reason })).toMatchObject({ _tag: "Aborted", path });
      expect(cancelledError(reason, 5)).toEqual(stoppedError({ reason }));
    }
  });
});

describe("turnExitCode", () => {
  it("is the process's code, an ExecFailed's code, or null", () => {
    expect(turnExitCode({ ok: true, value: { exitCode: 3 } })).toBe(3);
    expect(turnExitCode(execFailed)).toBe(1);
    expect(turnExitCode(spawnFailed)).toBeNull();
  });
});

describe("foldFailure", () => {
  const changed: FoldError = {
    _tag: "ProtocolViolation",
    path: "events",
    message: "thread id changed",
    violation: "thread_id_changed",
    expectedThreadId: null,
    actualThreadId: "other",
  };

  it("a changed thread id on a resumed thread is a ResumeMismatch naming both ids", () => {
    expect(foldFailure(changed, "mine")).toMatchObject({
      _tag: "ResumeMismatch",
      expectedThreadId: "mine",
      actualThreadId: "other",
    });
  });

  it("on a new thread (or for another violation) the fold error is itself", () => {
    expect(foldFailure(changed, null)).toBe(changed);
    const other: FoldError = { ...changed, violation: "out_of_order" };
    expect(foldFailure(other, "mine")).toBe(other);
  });
});

describe("finishContextOf", () => {
  it("carries the position only when the session counted its turns", () => {
    expect(finishContextOf(false, undefined, null)).toEqual({ structured: false });
    expect(
      finishContextOf(true, "s3cret", {
        observed: { completedTurns: 2, lastTurnId: "t2" },
      }),
    ).toEqual({
      structured: true,
      secret: "s3cret",
      position: { completedTurns: 2, lastTurnId: "t2" },
    });
    expect(finishContextOf(false, undefined, { observed: { missingFrom: "/x" } })).toEqual({
      structured: false,
    });
  });
});
