/**
 * The Thread value and its pure constructors: startThread, resumeThread, withThreadOptions.
 */
import { inspect } from "node:util";

import fc from "fast-check";
import { assertProperty } from "../support/property.js";

import {
  Thread,
  mintContinuationToken,
  resumeThread,
  startThread,
  withThreadOptions,
} from "../../lib/index.js";
import {
  anyInput,
  validApiKey,
  validStoredCodexOptions,
  validThreadOptions,
} from "../support/arbitraries.js";
import { CLI_GOLDEN, readJsonLines, reveal, unfrozenPaths } from "../support/core-helpers.js";
import { untyped } from "../support/untyped.js";

const ROLLOUT_ID = "01a20fb5-345b-7f51-b6d3-8f2a9ee94142";
const rolloutHead = () => readJsonLines(`${CLI_GOLDEN}/resume/rollout.jsonl`)[0];

describe("startThread", () => {
  it("returns a thread without an id, holding the decoded options", () => {
    const thread = startThread(
      { baseUrl: "https://api.example.com/v1" },
      { model: "gpt-5", sandboxMode: "read-only", labels: { team: "core" } },
    )._unsafeUnwrap();
    expect(thread).toEqual({
      threadId: null,
      codexOptions: { baseUrl: "https://api.example.com/v1" },
      threadOptions: { model: "gpt-5", sandboxMode: "read-only", labels: { team: "core" } },
      metadata: null,
      labels: { team: "core" },
      continuationToken: null,
      cumulativeUsage: null,
    });
    expect(Thread.is(thread)).toBe(true);
  });

  it("accepts no options at all", () => {
    expect(startThread().isOk()).toBe(true);
    expect(startThread(untyped(null), untyped(null)).isOk()).toBe(true);
    expect(startThread({}, {})._unsafeUnwrap().threadOptions).toEqual({});
  });

  it("drops options given as undefined", () => {
    const thread = startThread({ baseUrl: undefined }, { model: undefined })._unsafeUnwrap();
    expect(Object.keys(thread.codexOptions)).toEqual([]);
    expect(Object.keys(thread.threadOptions)).toEqual([]);
  });

  it("is pure: equal inputs give equal threads, and it reads no clock and no randomness", () => {
    const spies = [
      jest.spyOn(Date, "now"),
      jest.spyOn(Math, "random"),
      jest.spyOn(performance, "now"),
    ];
    try {
      const make = () =>
        startThread(
          { apiKey: "sk-test-1", config: { a: { b: [1, "x"] } } },
          { model: "gpt-5", additionalDirectories: ["/a"] },
        )._unsafeUnwrap();
      expect(reveal(make())).toEqual(reveal(make()));
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it("freezes the thread all the way down", () => {
    assertProperty(
      fc.property(validStoredCodexOptions, validThreadOptions, validApiKey, (c, o, apiKey) => {
        const thread = startThread({ ...c, apiKey, env: { HOME: "/h" } }, o)._unsafeUnwrap();
        expect(unfrozenPaths(thread)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("neither freezes nor keeps the caller's objects", () => {
    const config = { sandbox_workspace_write: { network_access: true } };
    const labels = { team: "core" };
    const additionalDirectories = ["/shared"];
    const thread = startThread({ config }, { labels, additionalDirectories })._unsafeUnwrap();
    expect(Object.isFrozen(config) || Object.isFrozen(config.sandbox_workspace_write)).toBe(false);
    expect(Object.isFrozen(labels) || Object.isFrozen(additionalDirectories)).toBe(false);
    labels.team = "changed";
    additionalDirectories.push("/later");
    config.sandbox_workspace_write.network_access = false;
    expect(thread.threadOptions.labels).toEqual({ team: "core" });
    expect(thread.threadOptions.additionalDirectories).toEqual(["/shared"]);
    expect(thread.codexOptions.config).toEqual({
      sandbox_workspace_write: { network_access: true },
    });
  });

  it("rejects an invalid API key as InvalidApiKey, with every other problem", () => {
    const r = startThread({ apiKey: "sk-live secret", baseUrl: untyped(3) }, { model: "" });
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidApiKey",
      path: "codexOptions.apiKey",
      issues: [
        { path: "codexOptions.baseUrl", message: "expected a string, got 3" },
        {
          path: "codexOptions.apiKey",
          message: "must not contain whitespace or control characters",
        },
        { path: "threadOptions.model", message: "must not be empty" },
      ],
    });
    expect(JSON.stringify(r._unsafeUnwrapErr())).not.toContain("secret");
  });

  it("never lets the API key show: not in errors, JSON, inspect or string forms", () => {
    assertProperty(
      fc.property(validApiKey, fc.constantFrom(" ", "\t", "\n", "\u0000"), (key, bad) => {
        const thread = startThread({ apiKey: key, env: { OPENAI_API_KEY: key } })._unsafeUnwrap();
        expect(thread.codexOptions.apiKey?.reveal()).toBe(key);
        for (const shown of [
          JSON.stringify(thread),
          inspect(thread, { depth: Infinity, showHidden: true }),
          String(thread.codexOptions.apiKey),
          `${String(thread.codexOptions.env)}`,
        ])
          expect(shown).not.toContain(key);
        const rejected = startThread({ apiKey: `${key}${bad}` });
        const shownError = JSON.stringify(rejected) + inspect(rejected, { depth: Infinity });
        expect(rejected.isErr()).toBe(true);
        expect(shownError).not.toContain(key);
      }),
      { numRuns: 100 },
    );
  });

  it("never throws, whatever it is given", () => {
    assertProperty(
      fc.property(anyInput, anyInput, (a, b) => {
        expect(() => startThread(untyped(a.make()), untyped(b.make()))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe("resumeThread", () => {
  it("resumes a thread id the CLI printed", () => {
    const thread = resumeThread(ROLLOUT_ID, {}, { model: "gpt-5" })._unsafeUnwrap();
    expect(thread.threadId).toBe(ROLLOUT_ID);
    expect(thread.threadOptions).toEqual({ model: "gpt-5" });
    expect(thread.continuationToken).toBeNull();
    expect(thread.metadata).toBeNull();
    expect(unfrozenPaths(thread)).toEqual([]);
  });

  it("resumes a legacy thread id", () => {
    expect(resumeThread("thread_abc123")._unsafeUnwrap().threadId).toBe("thread_abc123");
  });

  it("rejects an id the CLI would read as a flag", () => {
    expect(resumeThread("--last")._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidThreadId",
      path: "threadId",
      issues: [{ path: "threadId", message: expect.stringMatching(/must not start with "-"/) }],
    });
  });

  it("rejects an id that is a path, empty, too long or not a string", () => {
    for (const id of ["../x", "a/b", "", "x".repeat(129), 42, null, undefined, "a b"])
      expect(resumeThread(untyped(id))._unsafeUnwrapErr()._tag).toBe("InvalidThreadId");
  });

  it("checks the id before the options", () => {
    expect(resumeThread("-x", untyped({ nope: 1 }))._unsafeUnwrapErr()._tag).toBe(
      "InvalidThreadId",
    );
    expect(resumeThread("thread_1", untyped({ nope: 1 }))._unsafeUnwrapErr()._tag).toBe(
      "InvalidOptions",
    );
  });

  it("carries a continuation token without judging it (validateResume does that)", () => {
    const other = mintContinuationToken({
      threadId: "thread_other",
      lastTurnId: null,
      completedTurns: 0,
    })._unsafeUnwrap();
    const thread = resumeThread("thread_abc123", {}, {}, { continuationToken: other });
    expect(thread._unsafeUnwrap().continuationToken).toBe(other);
    const legacy = resumeThread("thread_auto_123", {}, {}, { continuationToken: "cont-auto-run" });
    expect(legacy._unsafeUnwrap().continuationToken).toBe("cont-auto-run");
  });

  it("rejects a token that is not URL-safe as InvalidContinuationToken", () => {
    const r = resumeThread("thread_abc123", {}, {}, { continuationToken: "a b" });
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidContinuationToken",
      path: "resume.continuationToken",
    });
  });

  it("hydrates metadata from the rollout's session_meta line", () => {
    const thread = resumeThread(ROLLOUT_ID, {}, {}, { metadata: rolloutHead() })._unsafeUnwrap();
    expect(thread.metadata).toMatchObject({
      origin: "rollout",
      threadId: ROLLOUT_ID,
      cliVersion: "0.169.0",
      cwd: "/home/dev/sandbox/cwd",
    });
  });

  it("rejects rollout metadata that belongs to another thread", () => {
    const r = resumeThread("thread_abc123", {}, {}, { metadata: rolloutHead() });
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidMetadata",
      path: "resume.metadata",
      issues: [{ path: "resume.metadata.id", message: "belongs to another thread" }],
    });
  });

  it("merges labels: the metadata's first, then the thread options'", () => {
    const thread = resumeThread(
      "thread_abc123",
      {},
      { labels: { topic: "override", team: "core" } },
      { metadata: { labels: { topic: "demo", kind: "legacy" } } },
    )._unsafeUnwrap();
    expect(thread.labels).toEqual({ topic: "override", kind: "legacy", team: "core" });
    expect(thread.metadata?.labels).toEqual({ topic: "demo", kind: "legacy" });
  });

  it("rejects an unknown key in the resume input", () => {
    const r = resumeThread("thread_abc123", {}, {}, { token: "x" } as never);
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
      issues: [{ path: "resume.token", message: 'unknown key "token"' }],
    });
  });

  it("never throws, whatever it is given", () => {
    assertProperty(
      fc.property(anyInput, anyInput, anyInput, anyInput, (id, c, o, resume) => {
        expect(() =>
          resumeThread(
            untyped(id.make()),
            untyped(c.make()),
            untyped(o.make()),
            untyped(resume.make()),
          ),
        ).not.toThrow();
        expect(() =>
          resumeThread(
            "thread_abc123",
            untyped(c.make()),
            untyped(o.make()),
            untyped(resume.make()),
          ),
        ).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe("withThreadOptions", () => {
  const base = () =>
    resumeThread(
      "thread_abc123",
      { apiKey: "sk-test-1" },
      { model: "gpt-5", sandboxMode: "read-only", labels: { team: "core" } },
      { metadata: { labels: { topic: "demo" } } },
    )._unsafeUnwrap();

  it("returns a new thread with the given options replaced, leaving the original untouched", () => {
    const thread = base();
    const before = reveal(thread);
    const next = withThreadOptions(thread, { model: "gpt-5-codex", networkAccessEnabled: true });
    expect(next._unsafeUnwrap()).not.toBe(thread);
    expect(next._unsafeUnwrap().threadOptions).toEqual({
      model: "gpt-5-codex",
      sandboxMode: "read-only",
      labels: { team: "core" },
      networkAccessEnabled: true,
    });
    expect(reveal(thread)).toEqual(before);
    expect(unfrozenPaths(next._unsafeUnwrap())).toEqual([]);
    expect(unfrozenPaths(thread)).toEqual([]);
  });

  it("clears an option set to undefined", () => {
    const next = withThreadOptions(base(), { sandboxMode: undefined })._unsafeUnwrap();
    expect(next.threadOptions).toEqual({ model: "gpt-5", labels: { team: "core" } });
  });

  it("recomputes the labels from the metadata's and the new ones", () => {
    const next = withThreadOptions(base(), { labels: { run: "2" } })._unsafeUnwrap();
    expect(next.labels).toEqual({ topic: "demo", run: "2" });
    const cleared = withThreadOptions(base(), { labels: undefined })._unsafeUnwrap();
    expect(cleared.labels).toEqual({ topic: "demo" });
    const untouched = withThreadOptions(base(), { model: "o3" })._unsafeUnwrap();
    expect(untouched.labels).toEqual({ topic: "demo", team: "core" });
  });

  it("keeps everything but the thread options", () => {
    const thread = base();
    const next = withThreadOptions(thread, { ephemeral: true })._unsafeUnwrap();
    expect(next.threadId).toBe(thread.threadId);
    expect(next.codexOptions).toBe(thread.codexOptions);
    expect(next.metadata).toBe(thread.metadata);
    expect(next.continuationToken).toBe(thread.continuationToken);
  });

  it("changes nothing for an empty or missing patch", () => {
    const thread = base();
    for (const patch of [undefined, null, {}])
      expect(reveal(withThreadOptions(thread, untyped(patch))._unsafeUnwrap())).toEqual(
        reveal(thread),
      );
  });

  it("rejects an invalid patch with every problem, as InvalidOptions", () => {
    const r = withThreadOptions(
      base(),
      untyped({ model: "-x", webSearchMode: "on", apiKey: "sk" }),
    );
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
      path: "patch.model",
      issues: [
        { path: "patch.model" },
        { path: "patch.webSearchMode" },
        { path: "patch.apiKey", message: 'unknown key "apiKey"' },
      ],
    });
  });

  it("never changes the original, whatever the patch", () => {
    const thread = base();
    const before = reveal(thread);
    assertProperty(
      fc.property(fc.oneof(validThreadOptions, fc.dictionary(fc.string(), fc.anything())), (p) => {
        withThreadOptions(thread, p);
        expect(reveal(thread)).toEqual(before);
      }),
      { numRuns: 100 },
    );
  });

  it("never throws, whatever it is given", () => {
    assertProperty(
      fc.property(anyInput, anyInput, (t, p) => {
        expect(() => withThreadOptions(base(), untyped(p.make()))).not.toThrow();
        expect(() => withThreadOptions(t.make() as Thread, untyped(p.make()))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
