/**
 * Fuzzing metadataFromJson (on anything, and on mutated recorded session_meta lines and legacy
 * metadata, as values and as JSON text) and normalizeInput (on anything, and on lists of parts
 * with broken fields). Nothing throws; errors are tagged; accepted metadata passes its codec
 * and rides in a thread that serializes and reads back; a normalized input is safe for argv.
 */
import fc from "fast-check";
import { isRight } from "fp-ts/lib/Either.js";

import { parseThreadId, resumeThread } from "../../lib/index.js";
import { ThreadMetadata, metadataFromJson } from "../../lib/codecs/index.js";
import { normalizeInput } from "../../lib/core/input.js";
import { anyInput, validLegacyMetadata, type Input } from "../support/arbitraries.js";
import { legacyThreadStarted, legacyFixtureFiles } from "../support/core-helpers.js";
import {
  CODEC_KEYS,
  jsonLeaf,
  jsonText,
  mutatedJson,
  nastyString,
  value,
} from "../support/arbitraries.js";
import { CASES } from "./support/budget.js";
import { call, check, expectSoundThread, fuzzIt, okOrTagged, safeJson } from "./support/harness.js";
import { rolloutHead } from "./support/threads.js";

const HEAD = rolloutHead() as { payload: Record<string, unknown> };
/** The recorded head without its bulky instructions (cheap to copy and mutate). */
const SLIM_HEAD = {
  ...HEAD,
  payload: { ...HEAD.payload, base_instructions: { text: "You are Codex." } },
};
const LEGACY = legacyFixtureFiles().flatMap((f) => legacyThreadStarted(f)?.metadata ?? []);
const BASES: unknown[] = [SLIM_HEAD, SLIM_HEAD.payload, ...LEGACY];

const META_KEYS = [
  "id",
  "session_id",
  "timestamp",
  "cwd",
  "originator",
  "cli_version",
  "source",
  "model_provider",
  "base_instructions",
  "git",
  "labels",
  "created_at",
  "branch",
  "commit_hash",
  "dirty",
  "repository_url",
  ...CODEC_KEYS,
];

/** Metadata inputs: anything, JSON text, recorded shapes mutated, or with an odd value added. */
const metadataInputs: fc.Arbitrary<Input> = fc.oneof(
  anyInput,
  nastyString.map(value),
  validLegacyMetadata.map(value),
  fc.jsonValue({ maxDepth: 3 }).map((v) => value(JSON.stringify(v))),
  mutatedJson(BASES, META_KEYS).map(value),
  mutatedJson(BASES, META_KEYS).map((v) => value(jsonText(v))),
  // A recorded shape holding one value of any kind (a JavaScript caller's object).
  fc
    .tuple(
      fc.constantFrom(...BASES),
      fc.constantFrom("extra_field", "labels", "git", "id"),
      anyInput,
    )
    .map(([base, key, v]): Input => ({
      label: `${safeJson(base)} with ${key}: ${v.label}`,
      make: () => ({ ...(base as object), [key]: v.make() }),
    })),
);

describe("fuzz: metadata", () => {
  fuzzIt(
    "metadataFromJson on anything: tagged errors; accepted metadata serializes with its thread",
    CASES.metadata.anything,
    metadataInputs,
    (input) => {
      const u = input.make();
      const r = call("metadataFromJson", () => metadataFromJson(u));
      const m = okOrTagged(r, ["InvalidMetadata"], "metadataFromJson");
      if (m === undefined) return;
      check(isRight(ThreadMetadata.decode(m)), () => `invalid metadata: ${safeJson(m)}`);
      // (Metadata may name a thread whose id no thread can have: it then fits no thread.)
      if (m.threadId !== null && parseThreadId(m.threadId).isErr()) return;
      const id = m.threadId ?? "thread_fuzz_metadata";
      const t = resumeThread(id, {}, {}, { metadata: input.make() });
      check(
        t.isOk(),
        () => `resumeThread refuses metadata metadataFromJson accepts: ${safeJson(t)}`,
      );
      expectSoundThread(t._unsafeUnwrap(), "resumeThread with metadata");
    },
  );
});

/** Parts of an input: valid, broken, or anything. */
const part: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    type: fc.constant("text"),
    text: fc.oneof(fc.string({ maxLength: 20 }), nastyString),
  }),
  fc.record({
    type: fc.constant("local_image"),
    path: fc.oneof(fc.constantFrom("./a.png", "/tmp/b.jpg", "-x.png", "a\u0000b"), nastyString),
  }),
  fc.record(
    {
      type: fc.oneof(fc.constantFrom("text", "local_image", "image", "input_text"), nastyString),
      text: jsonLeaf,
      path: jsonLeaf,
      extra: jsonLeaf,
    },
    { requiredKeys: [] },
  ),
  jsonLeaf,
);

describe("fuzz: input", () => {
  fuzzIt(
    "normalizeInput on anything: a prompt and argv-safe image paths, or a tagged error",
    CASES.input.normalize,
    fc.oneof(anyInput, nastyString.map(value), fc.array(part, { maxLength: 5 }).map(value)),
    (input) => {
      const u = input.make();
      const r = call("normalizeInput", () => normalizeInput(u));
      const n = okOrTagged(r, ["InvalidOptions"], "normalizeInput");
      if (n === undefined) return;
      check(typeof n.prompt === "string", "the prompt is not a string");
      if (typeof u === "string") check(n.prompt === u, "a string input is not the prompt itself");
      for (const p of n.images)
        check(
          typeof p === "string" && p.length > 0 && !p.startsWith("-") && !p.includes("\u0000"),
          () => `an image path that is not argv-safe: ${safeJson(p)}`,
        );
      if (Array.isArray(u)) {
        const texts = (u as { type?: unknown; text?: unknown }[])
          .filter((p) => p.type === "text")
          .map((p) => p.text);
        check(n.prompt === texts.join("\n\n"), "the prompt is not the text parts joined");
      }
    },
  );
});
