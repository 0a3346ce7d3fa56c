/**
 * The serialized thread: a strict, versioned JSON format without secrets, read back into an
 * equal thread (secrets supplied again).
 */
import fc from "fast-check";
import { assertProperty } from "../support/property.js";

import {
  deserializeThread,
  mintContinuationToken,
  resumeThread,
  serializeThread,
  startThread,
  withThreadOptions,
  type Thread,
} from "../../lib/index.js";
import { SERIALIZED_THREAD_FORMAT, metadataFromJson } from "../../lib/codecs/index.js";
import { updateThread } from "../../lib/core/thread.js";
import {
  anyInput,
  validApiKey,
  validLegacyMetadata,
  validStoredCodexOptions,
  validThreadId,
  validThreadOptions,
  validTurnId,
  validUsage,
} from "../support/arbitraries.js";
import { CLI_GOLDEN, readJsonLines, reveal, unfrozenPaths } from "../support/core-helpers.js";

const ROLLOUT_ID = "01a20fb5-345b-7f51-b6d3-8f2a9ee94142";
const rolloutHead = () => readJsonLines(`${CLI_GOLDEN}/resume/rollout.jsonl`)[0];

/** Valid threads, built only through the public constructors (plus usage, as a turn sets it). */
const threads: fc.Arbitrary<{ thread: Thread; apiKey: string; env: Record<string, string> }> = fc
  .record({
    id: fc.option(validThreadId, { nil: null }),
    codexOptions: validStoredCodexOptions,
    threadOptions: validThreadOptions,
    patch: fc.option(validThreadOptions, { nil: null }),
    metadata: fc.option(validLegacyMetadata, { nil: null }),
    position: fc.option(
      fc.record({ lastTurnId: fc.option(validTurnId, { nil: null }), completedTurns: fc.nat() }),
      { nil: null },
    ),
    usage: fc.option(validUsage, { nil: null }),
    apiKey: validApiKey,
    env: fc.dictionary(fc.constantFrom("HOME", "PATH", "OPENAI_API_KEY"), fc.string()),
  })
  .map((g) => {
    const codexOptions = { ...g.codexOptions, apiKey: g.apiKey, env: g.env };
    const started =
      g.id === null
        ? startThread(codexOptions, g.threadOptions)
        : resumeThread(g.id, codexOptions, g.threadOptions, {
            metadata: g.metadata,
            continuationToken:
              g.position === null
                ? null
                : mintContinuationToken({ threadId: g.id, ...g.position }, "s")._unsafeUnwrap(),
          });
    const patched = started.andThen((t) =>
      g.patch === null ? started : withThreadOptions(t, g.patch),
    );
    const thread = patched._unsafeUnwrap();
    return {
      thread: g.usage === null ? thread : updateThread(thread, { cumulativeUsage: g.usage }),
      apiKey: g.apiKey,
      env: g.env,
    };
  });

const sample = (): Thread =>
  resumeThread(
    ROLLOUT_ID,
    {
      apiKey: "sk-test-serialize-0001",
      env: { OPENAI_API_KEY: "sk-test-serialize-0001" },
      baseUrl: "https://api.example.com/v1",
      config: { model_reasoning_summary: "auto" },
    },
    { model: "gpt-5", labels: { team: "core" } },
    {
      metadata: rolloutHead(),
      continuationToken: mintContinuationToken(
        { threadId: ROLLOUT_ID, lastTurnId: null, completedTurns: 1 },
        "secret",
      )._unsafeUnwrap(),
    },
  )._unsafeUnwrap();

/** The serialized form of the sample, parsed, for tampering with. */
const stored = (): Record<string, unknown> =>
  JSON.parse(serializeThread(sample())._unsafeUnwrap()) as Record<string, unknown>;

describe("serializeThread", () => {
  it("writes the format tag and every field but the secrets", () => {
    const json = JSON.parse(serializeThread(sample())._unsafeUnwrap()) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      "format",
      "secrets",
      "threadId",
      "codexOptions",
      "threadOptions",
      "metadata",
      "labels",
      "continuationToken",
      "cumulativeUsage",
    ]);
    expect(json["format"]).toBe(SERIALIZED_THREAD_FORMAT);
    expect(SERIALIZED_THREAD_FORMAT).toBe("codex-fp/thread@2");
    expect(json["secrets"]).toEqual(["codexOptions.apiKey", "codexOptions.env"]);
    expect(json["codexOptions"]).toEqual({
      baseUrl: "https://api.example.com/v1",
      config: { model_reasoning_summary: "auto" },
    });
  });

  it("never writes the API key or the env", () => {
    assertProperty(
      fc.property(threads, ({ thread, apiKey }) => {
        const json = serializeThread(thread)._unsafeUnwrap();
        expect(json).not.toContain(apiKey);
        expect(json).not.toContain('"env"');
        expect(json).not.toContain('"apiKey"');
      }),
      { numRuns: 100 },
    );
  });

  it("refuses something that is not a thread with a typed error, never a string", () => {
    for (const u of [undefined, null, 42, "thread", {}, { codexOptions: {} }, []]) {
      const e = serializeThread(u as never)._unsafeUnwrapErr();
      expect(e).toMatchObject({ _tag: "NotAThread", path: expect.stringMatching(/^thread/) });
      expect(e.message).toMatch(/^not a Thread/);
    }
    const hostile = new Proxy(sample(), {
      get: () => {
        throw new Error("boom");
      },
    });
    expect(serializeThread(hostile)._unsafeUnwrapErr()._tag).toBe("NotAThread");
  });

  it("is Ok for every thread the library makes", () => {
    expect(serializeThread(sample()).isOk()).toBe(true);
    expect(serializeThread(startThread({})._unsafeUnwrap()).isOk()).toBe(true);
  });

  it("never throws, whatever it is given", () => {
    assertProperty(
      fc.property(anyInput, (u) => {
        expect(() => serializeThread(u.make() as Thread)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe("deserializeThread", () => {
  it("reads back an equal thread, given the secrets again", () => {
    assertProperty(
      fc.property(threads, ({ thread, apiKey, env }) => {
        const back = deserializeThread(serializeThread(thread)._unsafeUnwrap(), {
          apiKey,
          env,
        })._unsafeUnwrap();
        expect(reveal(back)).toEqual(reveal(thread));
        expect(unfrozenPaths(back)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("is idempotent on its own output", () => {
    assertProperty(
      fc.property(threads, ({ thread, apiKey, env }) => {
        const once = serializeThread(thread)._unsafeUnwrap();
        expect(
          serializeThread(deserializeThread(once, { apiKey, env })._unsafeUnwrap())._unsafeUnwrap(),
        ).toBe(once);
      }),
      { numRuns: 100 },
    );
  });

  it("reads back a thread with rollout metadata", () => {
    const thread = sample();
    const back = deserializeThread(serializeThread(thread)._unsafeUnwrap(), {
      apiKey: "sk-test-serialize-0001",
      env: { OPENAI_API_KEY: "sk-test-serialize-0001" },
    })._unsafeUnwrap();
    expect(reveal(back)).toEqual(reveal(thread));
    expect(back.metadata).toEqual(metadataFromJson(rolloutHead())._unsafeUnwrap());
  });

  it("says which secrets are missing, and leaves them out only when told to (null)", () => {
    expect(deserializeThread(serializeThread(sample())._unsafeUnwrap())._unsafeUnwrapErr()).toEqual(
      {
        _tag: "MissingSecrets",
        path: "secrets",
        message: expect.stringContaining("codexOptions.apiKey, codexOptions.env") as unknown,
        paths: ["codexOptions.apiKey", "codexOptions.env"],
      },
    );
    const back = deserializeThread(serializeThread(sample())._unsafeUnwrap(), {
      apiKey: null,
      env: null,
    })._unsafeUnwrap();
    expect(back.codexOptions.apiKey).toBeUndefined();
    expect(back.codexOptions.env).toBeUndefined();
  });

  it("rejects an invalid API key supplied with it, as InvalidApiKey", () => {
    const r = deserializeThread(serializeThread(sample())._unsafeUnwrap(), {
      apiKey: "sk bad key",
      env: null,
    });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: "InvalidApiKey" });
    expect(JSON.stringify(r._unsafeUnwrapErr())).not.toContain("sk bad key");
  });

  it("rejects an unexpected key at any level", () => {
    const tamper: [string, (s: Record<string, unknown>) => void, string][] = [
      ["top level", (s) => (s["extra"] = 1), "thread.extra"],
      [
        "codexOptions",
        (s) => ((s["codexOptions"] as Record<string, unknown>)["apiKey"] = "sk-x"),
        "thread.codexOptions.apiKey",
      ],
      [
        "threadOptions",
        (s) => ((s["threadOptions"] as Record<string, unknown>)["foo"] = 1),
        "thread.threadOptions.foo",
      ],
      [
        "metadata",
        (s) => ((s["metadata"] as Record<string, unknown>)["foo"] = 1),
        "thread.metadata.foo",
      ],
      [
        "metadata.git",
        (s) => ((s["metadata"] as Record<string, unknown>)["git"] = { branch: "main", foo: 1 }),
        "thread.metadata.git.foo",
      ],
      [
        "cumulativeUsage",
        (s) =>
          (s["cumulativeUsage"] = {
            input_tokens: 1,
            cached_input_tokens: 0,
            cache_write_input_tokens: 0,
            output_tokens: 1,
            reasoning_output_tokens: 0,
            foo: 1,
          }),
        "thread.cumulativeUsage.foo",
      ],
    ];
    for (const [, change, path] of tamper) {
      const s = stored();
      change(s);
      expect(deserializeThread(JSON.stringify(s))._unsafeUnwrapErr()).toMatchObject({
        _tag: "InvalidSerializedThread",
        issues: expect.arrayContaining([{ path, message: expect.stringContaining("unknown key") }]),
      });
    }
  });

  it("rejects another format, a missing field, and invalid values", () => {
    const cases: [(s: Record<string, unknown>) => void, string][] = [
      [(s) => (s["format"] = "codex-fp/thread@3"), "thread.format"],
      [(s) => delete s["labels"], "thread.labels"],
      [(s) => (s["threadId"] = "--last"), "thread.threadId"],
      [(s) => (s["continuationToken"] = "not a token"), "thread.continuationToken"],
      [(s) => (s["threadOptions"] = { sandboxMode: "yolo" }), "thread.threadOptions.sandboxMode"],
    ];
    for (const [change, path] of cases) {
      const s = stored();
      change(s);
      const e = deserializeThread(JSON.stringify(s))._unsafeUnwrapErr();
      expect(e._tag).toBe("InvalidSerializedThread");
      expect(e.path).toBe(path);
    }
  });

  it("rejects what is not JSON or not a string", () => {
    for (const bad of ["{", "", "[]", "42"])
      expect(deserializeThread(bad)._unsafeUnwrapErr()._tag).toBe("InvalidSerializedThread");
    expect(deserializeThread(42 as never)._unsafeUnwrapErr()).toMatchObject({
      issues: [{ path: "thread", message: "expected a JSON string" }],
    });
  });

  it("never throws, whatever it is given", () => {
    assertProperty(
      fc.property(anyInput, anyInput, (json, secrets) => {
        expect(() =>
          deserializeThread(json.make() as string, secrets.make() as never),
        ).not.toThrow();
        expect(() =>
          deserializeThread(serializeThread(sample())._unsafeUnwrap(), secrets.make() as never),
        ).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
