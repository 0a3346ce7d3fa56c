/**
 * Fuzzing continuation tokens: minting from anything, decoding anything and mutated tokens,
 * and the resume validator on any thread and any observation. Nothing throws; a token is only
 * ever accepted as signed when it is exactly what was minted; the validator emits exactly one
 * valid telemetry event per call, whatever the sink does.
 */
import fc from "fast-check";
import { isRight } from "fp-ts/lib/Either.js";

import {
  decodeContinuationToken,
  mintContinuationToken,
  validateResume,
  type Thread,
} from "../../lib/index.js";
import { TelemetryEvent, type TelemetryEvent as Event } from "../../lib/codecs/index.js";
import { anyInput, validThreadId, validTurnId, type Input } from "../support/arbitraries.js";
import { legacyContinuationTokens } from "../support/core-helpers.js";
import { untyped } from "../support/untyped.js";
import {
  CODEC_KEYS,
  jsonLeaf,
  mutatedJson,
  mutatedString,
  nastyString,
  value,
} from "../support/arbitraries.js";
import { CASES } from "./support/budget.js";
import { call, check, fuzzIt, okOrTagged, safeJson } from "./support/harness.js";
import { validClaim, validSecret, validThread } from "./support/threads.js";

const TOKEN_SHAPE = /^[A-Za-z0-9._~-]+$/;

const CLAIM_KEYS = ["threadId", "lastTurnId", "completedTurns", "v", "t", "l", "n", ...CODEC_KEYS];

/** Claims: valid, valid with broken fields, or anything. */
const claims: fc.Arbitrary<Input> = fc.oneof(
  validClaim.map(value),
  fc
    .tuple(validClaim, validClaim, validClaim)
    .chain((cs) => mutatedJson(cs, CLAIM_KEYS, 2))
    .map(value),
  fc
    .record({
      threadId: fc.oneof(validThreadId, nastyString, jsonLeaf),
      lastTurnId: fc.oneof(fc.constant(null), validTurnId, nastyString, jsonLeaf),
      completedTurns: fc.oneof(fc.nat(), fc.integer(), fc.double(), jsonLeaf),
    })
    .map(value),
  anyInput,
);

/** Secrets: none, valid, odd strings, or not strings at all. */
const secrets: fc.Arbitrary<Input> = fc.oneof(
  fc.constant(undefined).map(value),
  validSecret.map(value),
  nastyString.map(value),
  anyInput,
);

/** Tokens as they are found: minted (signed or not), legacy, odd strings, or anything. */
const LEGACY = legacyContinuationTokens();

describe("fuzz: continuation tokens", () => {
  fuzzIt(
    "mintContinuationToken: a token is URL-safe, bounded, and decodes to its claim",
    CASES.tokens.mint,
    fc.tuple(claims, secrets),
    ([claimIn, secretIn]) => {
      const claim = claimIn.make();
      const secret = secretIn.make();
      const r = call("mintContinuationToken", () =>
        mintContinuationToken(untyped(claim), untyped(secret)),
      );
      const token = okOrTagged(r, ["InvalidContinuationToken"], "mintContinuationToken");
      if (token === undefined) return;
      check(
        typeof token === "string" && TOKEN_SHAPE.test(token) && token.length <= 4096,
        () => `minted a malformed token: ${safeJson(token)}`,
      );
      check(token.startsWith("cfp1."), "a minted token without the version prefix");
      const back = decodeContinuationToken(token, secret as string | undefined);
      check(back.isOk(), () => `a minted token does not decode: ${safeJson(back)}`);
      const d = back._unsafeUnwrap();
      check(
        d.kind === (secret === undefined ? "unsigned" : "signed"),
        () => `decoded as ${d.kind}`,
      );
      const c = claim as Record<string, unknown>;
      check(
        d.kind !== "legacy" &&
          d.claim.threadId === c["threadId"] &&
          d.claim.lastTurnId === c["lastTurnId"] &&
          d.claim.completedTurns === c["completedTurns"],
        () => `decoded another claim: ${safeJson(d)} from ${safeJson(claim)}`,
      );
    },
  );

  fuzzIt(
    "decodeContinuationToken on anything: a legacy token is kept as it is, ours is valid",
    CASES.tokens.decodeAnything,
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...LEGACY).map(value),
        mutatedString(LEGACY).map(value),
        fc.string({ unit: fc.constantFrom(..."cfp1.eyJ2IjoxLCJ0Ij~_-"), maxLength: 60 }).map(value),
        nastyString.map(value),
        anyInput,
      ),
      secrets,
    ),
    ([tokenIn, secretIn]) => {
      const token = tokenIn.make();
      const r = call("decodeContinuationToken", () =>
        decodeContinuationToken(token, secretIn.make() as string | undefined),
      );
      const d = okOrTagged(r, ["InvalidContinuationToken"], "decodeContinuationToken");
      if (d === undefined) return;
      check(
        typeof token === "string" && TOKEN_SHAPE.test(token) && token.length <= 4096,
        () => `accepted a malformed token: ${safeJson(token)}`,
      );
      if (d.kind === "legacy") check(d.token === token, "a legacy token came back changed");
      else
        check(
          mintContinuationToken(d.claim).isOk(),
          () => `decoded an invalid claim: ${safeJson(d.claim)}`,
        );
    },
  );

  fuzzIt(
    "decodeContinuationToken on mutated signed tokens: never accepted as ours",
    CASES.tokens.decodeMutated,
    fc.tuple(validClaim, validSecret).chain(([claim, secret]) => {
      const token = mintContinuationToken(claim, secret)._unsafeUnwrap() as string;
      return fc.tuple(fc.constant(token), fc.constant(secret), mutatedString([token], 3));
    }),
    ([token, secret, mutated]) => {
      const r = call("decodeContinuationToken", () => decodeContinuationToken(mutated, secret));
      const d = okOrTagged(r, ["InvalidContinuationToken"], "decodeContinuationToken");
      if (mutated === token)
        check(d !== undefined && d.kind === "signed", "the token itself was not accepted");
      else
        check(
          d === undefined || d.kind === "legacy",
          () => `a mutated token was accepted as ours: ${mutated} (from ${token})`,
        );
      // Without the secret it may decode, but never to a claim that is not valid.
      const plain = call("decodeContinuationToken", () => decodeContinuationToken(mutated));
      const p = okOrTagged(plain, ["InvalidContinuationToken"], "decodeContinuationToken");
      if (p !== undefined && p.kind !== "legacy")
        check(mintContinuationToken(p.claim).isOk(), "decoded an invalid claim");
    },
  );

  fuzzIt(
    "validateResume on any thread and observation: one valid event per call, tagged errors",
    CASES.tokens.validate,
    fc.record({
      thread: fc.oneof(
        { weight: 4, arbitrary: validThread.map(value) },
        { weight: 1, arbitrary: anyInput },
      ),
      observed: fc.oneof(
        fc.constant(undefined).map(value),
        fc
          .record(
            {
              completedTurns: fc.oneof(fc.nat(60), jsonLeaf),
              lastTurnId: fc.oneof(fc.constant(null), validTurnId, jsonLeaf),
              continuationToken: fc.oneof(fc.constantFrom(...LEGACY), nastyString),
              forked: fc.oneof(fc.boolean(), jsonLeaf),
            },
            { requiredKeys: [] },
          )
          .map(value),
        anyInput,
      ),
      secret: secrets,
      sinkThrows: fc.boolean(),
      clock: fc.constantFrom("none", "fixed", "throws"),
    }),
    (g) => {
      const events: Event[] = [];
      const sink = (e: Event) => {
        events.push(e);
        if (g.sinkThrows) throw new Error("sink down");
      };
      const now =
        g.clock === "none"
          ? undefined
          : g.clock === "fixed"
            ? () => new Date(0)
            : () => {
                throw new Error("clock down");
              };
      const secret = g.secret.make();
      const thread = g.thread.make() as Thread;
      const r = call("validateResume", () =>
        validateResume(thread, g.observed.make() as never, {
          sink,
          ...(now !== undefined ? { now } : {}),
          ...(secret !== undefined ? { secret: secret as string } : {}),
        }),
      );
      const ok = okOrTagged(r, ["ContinuationMismatch"], "validateResume");
      check(events.length === 1, () => `${events.length} telemetry events for one call`);
      const e = events[0];
      check(isRight(TelemetryEvent.decode(e)), () => `an invalid telemetry event: ${safeJson(e)}`);
      check(
        e?.name ===
          (ok !== undefined ? "codex.thread.resume.validated" : "codex.thread.resume.mismatch"),
        () => `event ${e?.name ?? "none"} for ${ok !== undefined ? "Ok" : "Err"}`,
      );
      if (ok !== undefined) check(ok === thread, "validateResume returned another thread");
      else if (
        r.isErr() &&
        r.error._tag === "ContinuationMismatch" &&
        e?.name === "codex.thread.resume.mismatch"
      )
        check(e.reason === r.error.reason, "the event and the error disagree on the reason");
    },
  );
});
