/**
 * Fuzzing thread ids: parseThreadId on anything and on mutated valid ids, and resumeThread
 * agreeing with it. An accepted id is the input itself and can reach an argv or a file name
 * safely; a rejected one is an InvalidThreadId.
 */
import fc from "fast-check";

import { parseThreadId, resumeThread } from "../../lib/index.js";
import { MAX_THREAD_ID_LENGTH } from "../../lib/codecs/index.js";
import {
  anyInput,
  validThreadId,
  type Input,
  mutatedString,
  nastyString,
  value,
} from "../support/arbitraries.js";
import { CASES } from "./support/budget.js";
import { call, check, expectSoundThread, fuzzIt, okOrTagged } from "./support/harness.js";
import { untyped } from "../support/untyped.js";

/** What an accepted id looks like: no separator, no control character, no leading "-". */
const SAFE_ID = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;

const RECORDED_IDS = [
  "01a20fb5-345b-7f51-b6d3-8f2a9ee94142",
  "0199a0f0-0000-7000-8000-00000000fa4e",
  "thread_abc123",
  "thread_1",
];

/** Ids: valid, mutated valid, nasty strings, or anything at all. */
const ids: fc.Arbitrary<Input> = fc.oneof(
  validThreadId.map(value),
  mutatedString(RECORDED_IDS).map(value),
  validThreadId.chain((id) => mutatedString([id], 2)).map(value),
  nastyString.map(value),
  anyInput,
);

describe("fuzz: thread ids", () => {
  fuzzIt(
    "parseThreadId: an accepted id is the input, safe for argv and paths",
    CASES.ids.parse,
    fc.tuple(ids, fc.oneof(fc.constant(undefined), nastyString, fc.anything())),
    ([id, path]) => {
      const u = id.make();
      const r = call("parseThreadId", () => parseThreadId(u, path as string | undefined));
      const ok = okOrTagged(r, ["InvalidThreadId"], "parseThreadId");
      if (ok !== undefined) {
        check(ok === u, "parseThreadId returned something else than its input");
        check(
          typeof ok === "string" &&
            ok.length <= MAX_THREAD_ID_LENGTH &&
            SAFE_ID.test(ok) &&
            !ok.includes(".."),
          () => `parseThreadId accepted an unsafe id: ${JSON.stringify(ok)}`,
        );
      } else if (r.isErr()) {
        check(
          r.error.path === (typeof path === "string" ? path : "threadId"),
          () => `the error's path is ${r.error.path}`,
        );
      }
    },
  );

  fuzzIt(
    "resumeThread accepts exactly the ids parseThreadId accepts",
    CASES.ids.resumeAgrees,
    ids,
    (id) => {
      const u = id.make();
      const parsed = call("parseThreadId", () => parseThreadId(u));
      const resumed = call("resumeThread", () => resumeThread(untyped(u), {}, {}));
      const t = okOrTagged(resumed, ["InvalidThreadId"], "resumeThread");
      check(parsed.isOk() === resumed.isOk(), "resumeThread and parseThreadId disagree");
      if (t !== undefined) {
        check(t.threadId === u, "the resumed thread has another id");
        expectSoundThread(t, "resumeThread");
      }
    },
  );
});
