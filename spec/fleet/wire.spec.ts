/**
 * The fleet's wire codecs: a job's data and result, a failure read back from a job's failed
 * reason, the store's head. Property tests: any JSON is decoded to a value or a typed error,
 * never a throw.
 */
import { DEFAULT_INPUT_LIMITS } from "../../lib/core/limits.js";
import fc from "fast-check";
import { assertProperty } from "../support/property.js";
import { isLeft } from "fp-ts/lib/Either.js";
import {
  FLEET_JOB_FORMAT,
  FleetJobData,
  StoreHead,
  failureFromText,
  isFleetError,
} from "../../lib/fleet/wire.js";
import { FleetEvent } from "../../lib/fleet/telemetry.js";
import { processJob, type ProcessorContext } from "../../lib/fleet/processor.js";
import { FLEET_ERROR_TAGS } from "../../lib/fleet/errors.js";

const headOf = (n: number) => ({
  completedTurns: n,
  lastTurnId: null,
  length: 10 * n,
  digest: "a".repeat(64),
  tail: "b".repeat(64),
  hashState: null,
  chunks: n,
  path: "2026/12/02/rollout-2026-12-02T10-00-00-01a236ee-a47f-7e51-9f41-e3d88cf961ee.jsonl",
});

/** A processor context whose every effect fails the test if reached. */
const unreachable = (): ProcessorContext => {
  const no = () => {
    throw new Error("must not be reached");
  };
  return {
    store: { readHead: no, chunkStartingAt: no, chunks: no, commit: no, lock: no, unlock: no },
    workerId: "w",
    codexOptions: {},
    threadOptions: {},
    codexHome: "/nonexistent",
    lockTtlMs: 1000,
    sink: undefined,
    limits: DEFAULT_INPUT_LIMITS,
    now: () => new Date(0),
    runTurn: no,
  };
};

describe("FleetJobData", () => {
  it("decodes any JSON to a value or issues, never a throw", () => {
    assertProperty(
      fc.property(fc.jsonValue(), (u) => {
        const r = FleetJobData.decode(u);
        expect(typeof r._tag).toBe("string");
      }),
      { numRuns: 100 },
    );
  });

  it("refuses unknown keys and a signal in the turn options", () => {
    const base = { format: FLEET_JOB_FORMAT, thread: {}, input: "hi", turnOptions: {} };
    expect(isLeft(FleetJobData.decode(base))).toBe(false);
    expect(isLeft(FleetJobData.decode({ ...base, apiKey: "x" }))).toBe(true);
    expect(isLeft(FleetJobData.decode({ ...base, turnOptions: { signal: {} } }))).toBe(true);
  });
});

describe("processJob", () => {
  it("fails any malformed payload with a typed error before touching the store or the CLI", async () => {
    await assertProperty(
      fc.asyncProperty(fc.jsonValue(), async (data) => {
        const v = await processJob(unreachable(), { id: "1", data, attempt: 0 });
        expect(v.kind).toBe("refused");
        if (v.kind === "refused")
          expect(["InvalidJobData", "InvalidSerializedThread", "InvalidOptions"]).toContain(
            v.error._tag,
          );
      }),
      { numRuns: 200 },
    );
  });
});

describe("failureFromText", () => {
  it("reads back a tagged error written as JSON, and nothing else", () => {
    const e = { _tag: "StoreCorrupt", path: "store", message: "m", threadId: "t" };
    const back = failureFromText(JSON.stringify(e));
    expect(back).toEqual(e);
    expect(back !== null && isFleetError(back)).toBe(true);
    expect(failureFromText("job stalled more than allowable limit")).toBeNull();
    // a turn's own error comes back too; a tag the library does not have does not
    const timedOut = {
      _tag: "TimedOut",
      path: "turnOptions.timeoutMs",
      message: "m",
      timeoutMs: 5,
    };
    expect(failureFromText(JSON.stringify(timedOut))).toEqual(timedOut);
    expect(failureFromText(JSON.stringify({ _tag: "Nope", path: "p", message: "m" }))).toBeNull();
    assertProperty(
      fc.property(fc.string(), (s) => {
        const r = failureFromText(s);
        expect(r === null || typeof r._tag === "string").toBe(true);
      }),
      { numRuns: 100 },
    );
    for (const tag of FLEET_ERROR_TAGS) expect(isFleetError({ _tag: tag })).toBe(true);
    expect(isFleetError({ _tag: "ContinuationMismatch" })).toBe(false);
  });
});

describe("StoreHead", () => {
  it("decodes a head and refuses a damaged one", () => {
    expect(isLeft(StoreHead.decode(headOf(3)))).toBe(false);
    expect(isLeft(StoreHead.decode({ ...headOf(3), digest: "nope" }))).toBe(true);
    expect(isLeft(StoreHead.decode({ ...headOf(3), path: "../../etc/passwd" }))).toBe(true);
    expect(isLeft(StoreHead.decode({ ...headOf(3), completedTurns: -1 }))).toBe(true);
  });
});

describe("FleetEvent", () => {
  it("decodes every fleet event name and refuses unknown ones", () => {
    const base = { timestamp: null, threadId: "t", jobId: "1", workerId: "w" };
    for (const e of [
      { name: "codex.fleet.job.taken", ...base, attempt: 0 },
      { name: "codex.fleet.session.imported", ...base, chunks: 1, bytes: 2, replaced: false },
      {
        name: "codex.fleet.head.committed",
        ...base,
        head: { completedTurns: 1, lastTurnId: null },
        length: 1,
        chunkBytes: 1,
      },
      { name: "codex.fleet.conflict", ...base, reason: "stale", expected: null, observed: null },
    ])
      expect(isLeft(FleetEvent.decode(e))).toBe(false);
    expect(isLeft(FleetEvent.decode({ name: "codex.fleet.other", ...base }))).toBe(true);
  });
});
