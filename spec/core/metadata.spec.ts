/**
 * ThreadMetadata: hydrated from the CLI rollout's session_meta line (tolerantly) and from the
 * legacy `thread.started.metadata` object. The characterization tests name the recording
 * each value comes from.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import fc from "fast-check";
import { assertProperty } from "../support/property.js";

import { ThreadMetadata, metadataFromJson } from "../../lib/codecs/index.js";
import { anyInput, validLegacyMetadata } from "../support/arbitraries.js";
import {
  CLI_GOLDEN,
  legacyFixtureFiles,
  legacyThreadStarted,
  readJsonLines,
  rolloutFiles,
} from "../support/core-helpers.js";

/** What each legacy parity fixture's `thread.started` says: its id and metadata. */
const LEGACY: Record<
  string,
  { threadId: string; labels: Record<string, string>; createdAt: string | null; git?: object }
> = {
  "thread_auto_run_pending.jsonl": {
    threadId: "thread_auto_123",
    labels: { topic: "auto-run" },
    createdAt: "2024-07-18T12:05:00Z",
  },
  "thread_auto_run_response_id_step1.jsonl": {
    threadId: "thread_auto_resp_123",
    labels: { topic: "auto-run-response-id" },
    createdAt: "2024-07-18T12:05:00Z",
  },
  "thread_auto_run_step1.jsonl": {
    threadId: "thread_auto_123",
    labels: { topic: "auto-run" },
    createdAt: "2024-07-18T12:05:00Z",
  },
  "thread_basic.jsonl": {
    threadId: "thread_abc123",
    labels: { topic: "demo" },
    createdAt: "2024-07-18T12:00:00Z",
  },
  "thread_early_exit.jsonl": { threadId: "thread_ephemeral", labels: {}, createdAt: null },
  "thread_error_rate_limit.jsonl": {
    threadId: "thread_rate_limit",
    labels: { topic: "errors" },
    createdAt: null,
  },
  "thread_error_sandbox_assessment.jsonl": {
    threadId: "thread_sandbox",
    labels: { topic: "errors" },
    createdAt: null,
  },
  "thread_failed_turn_completed.jsonl": {
    threadId: "thread_failed_1",
    labels: {},
    createdAt: null,
  },
  "thread_file_search_step1.jsonl": {
    threadId: "thread_file_search_1",
    labels: { topic: "file_search" },
    createdAt: null,
  },
  "thread_mcp_rich.jsonl": {
    threadId: "thread_mcp_123",
    labels: { topic: "mcp-stream" },
    createdAt: null,
    git: { branch: "feature/mcp-updates", dirty: false },
  },
  "thread_new_command.jsonl": {
    threadId: "thread_new_123",
    labels: { topic: "reset" },
    createdAt: "2024-11-29T00:00:00Z",
  },
  "thread_progress_no_ids.jsonl": { threadId: "thread_progress", labels: {}, createdAt: null },
  "thread_structured.jsonl": {
    threadId: "thread_structured",
    labels: { topic: "structured" },
    createdAt: null,
  },
  "thread_structured_invalid.jsonl": {
    threadId: "thread_structured_bad",
    labels: { topic: "structured" },
    createdAt: null,
  },
  "thread_tool_auto_pending.jsonl": {
    threadId: "thread_tool_123",
    labels: { topic: "tools" },
    createdAt: "2024-07-18T12:15:00Z",
  },
  "thread_tool_auto_step1.jsonl": {
    threadId: "thread_tool_123",
    labels: { topic: "tools" },
    createdAt: "2024-07-18T12:15:00Z",
  },
  "thread_tool_requires_approval.jsonl": {
    threadId: "thread_approval",
    labels: { topic: "approval" },
    createdAt: "2024-07-18T12:20:00Z",
  },
  "thread_tool_retry_step1.jsonl": {
    threadId: "thread_retry_123",
    labels: { topic: "retry" },
    createdAt: "2024-07-18T12:20:00Z",
  },
  "thread_usage_compaction.jsonl": {
    threadId: "thread_usage_compaction",
    labels: { topic: "usage-compaction" },
    createdAt: null,
  },
  "thread_usage_events.jsonl": {
    threadId: "thread_usage",
    labels: { topic: "usage" },
    createdAt: null,
  },
};

/** What each recorded rollout's first line (session_meta) says. */
const ROLLOUTS: Record<
  string,
  { threadId: string; createdAt: string; baseInstructionsChars: number; windowId: string }
> = {
  "basic/rollout.jsonl": {
    threadId: "01a20fb5-32b6-73c3-8683-50ee63f5dba7",
    createdAt: "2026-11-24T22:37:42.968Z",
    baseInstructionsChars: 21769,
    windowId: "01a20fb5-32b8-77a2-a2db-fc1a4c827978",
  },
  "resume/rollout-after-turn1.jsonl": {
    threadId: "01a20fb5-345b-7f51-b6d3-8f2a9ee94142",
    createdAt: "2026-11-24T22:37:43.390Z",
    baseInstructionsChars: 21769,
    windowId: "01a20fb5-345e-7ca0-b166-09d1246575f2",
  },
  "resume/rollout.jsonl": {
    threadId: "01a20fb5-345b-7f51-b6d3-8f2a9ee94142",
    createdAt: "2026-11-24T22:37:43.390Z",
    baseInstructionsChars: 21769,
    windowId: "01a20fb5-345e-7ca0-b166-09d1246575f2",
  },
  "shell/rollout.jsonl": {
    threadId: "01a20fb7-112a-7ee1-a5e0-1b5ddc30161c",
    createdAt: "2026-11-24T22:39:45.453Z",
    baseInstructionsChars: 20751,
    windowId: "01a20fb7-112d-7c12-94f1-d4acc5220538",
  },
  "structured/rollout.jsonl": {
    threadId: "01a20fb7-136e-7bc0-a76d-f37accc41805",
    createdAt: "2026-11-24T22:39:46.032Z",
    baseInstructionsChars: 21769,
    windowId: "01a20fb7-1370-74c3-bf5b-7991043691ea",
  },
};

const firstLine = (rollout: string): string =>
  readFileSync(join(CLI_GOLDEN, rollout), "utf8").split("\n")[0] ?? "";

describe("metadataFromJson on the legacy parity fixtures", () => {
  const withMetadata = legacyFixtureFiles().filter(
    (f) => legacyThreadStarted(f)?.metadata !== undefined,
  );

  it("covers every fixture whose thread.started carries metadata", () => {
    expect(withMetadata).toEqual(Object.keys(LEGACY).sort());
  });

  it.each(Object.entries(LEGACY))("reads the metadata of %s", (file, expected) => {
    const started = legacyThreadStarted(file);
    expect(started?.thread_id).toBe(expected.threadId);
    const metadata = metadataFromJson(started?.metadata)._unsafeUnwrap();
    expect(metadata).toEqual({
      origin: "legacy",
      threadId: null,
      createdAt: expected.createdAt,
      cwd: null,
      originator: null,
      cliVersion: null,
      source: null,
      modelProvider: null,
      labels: expected.labels,
      unknownKeys: [],
      extra: {},
      ...(expected.git ? { git: expected.git } : {}),
    });
    expect(ThreadMetadata.is(metadata)).toBe(true);
  });
});

describe("metadataFromJson on the recorded rollouts (codex-cli 0.169.0)", () => {
  it("covers every recorded rollout", () => {
    expect(rolloutFiles()).toEqual(Object.keys(ROLLOUTS).sort());
  });

  it.each(Object.entries(ROLLOUTS))("reads the session_meta line of %s", (rollout, expected) => {
    const metadata = metadataFromJson(firstLine(rollout))._unsafeUnwrap();
    expect(metadata).toEqual({
      origin: "rollout",
      threadId: expected.threadId,
      createdAt: expected.createdAt,
      cwd: "/home/dev/sandbox/cwd",
      originator: "codex_exec",
      cliVersion: "0.169.0",
      source: "exec",
      modelProvider: "stub",
      labels: {},
      unknownKeys: [],
      extra: {
        account_scoped: true,
        context_window: { window_id: expected.windowId },
        history_mode: "paginated",
        runtime_workspace_roots: ["/home/dev/sandbox/cwd"],
        session_id: expected.threadId,
        thread_source: "user",
      },
      baseInstructionsChars: expected.baseInstructionsChars,
    });
    expect(ThreadMetadata.is(metadata)).toBe(true);
  });

  it("reads the line, the parsed line and its payload alike", () => {
    const line = firstLine("basic/rollout.jsonl");
    const parsed = JSON.parse(line) as { payload: unknown };
    const fromLine = metadataFromJson(line)._unsafeUnwrap();
    expect(metadataFromJson(parsed)._unsafeUnwrap()).toEqual(fromLine);
    expect(metadataFromJson(parsed.payload)._unsafeUnwrap()).toEqual(fromLine);
  });
});

describe("metadataFromJson", () => {
  const payload = () =>
    (readJsonLines(join(CLI_GOLDEN, "basic/rollout.jsonl"))[0] as { payload: object }).payload;

  it("keeps keys a newer CLI adds in extra and lists them in unknownKeys", () => {
    const metadata = metadataFromJson({
      ...payload(),
      memory_mode: "on",
      agent_nickname: null,
    })._unsafeUnwrap();
    expect(metadata.unknownKeys).toEqual(["agent_nickname", "memory_mode"]);
    expect(metadata.extra).toMatchObject({ memory_mode: "on", agent_nickname: null });
  });

  it("does not copy the base instructions, only their length", () => {
    const metadata = metadataFromJson(payload())._unsafeUnwrap();
    expect(JSON.stringify(metadata)).not.toContain("You are Codex");
    expect(metadata.baseInstructionsChars).toBe(21769);
  });

  it("keeps a non-string source out of the typed field", () => {
    const metadata = metadataFromJson({ ...payload(), source: { subagent: "review" } });
    expect(metadata._unsafeUnwrap().source).toBeNull();
  });

  it("keeps the git facts it knows and drops the others", () => {
    const metadata = metadataFromJson({
      ...payload(),
      git: { branch: "main", commit_hash: "abc", repository_url: "https://x", stash: 2 },
    })._unsafeUnwrap();
    expect(metadata.git).toEqual({
      branch: "main",
      commit_hash: "abc",
      repository_url: "https://x",
    });
  });

  it("keeps unknown keys of a legacy object in extra", () => {
    const metadata = metadataFromJson({ labels: { a: "b" }, owner: "team" })._unsafeUnwrap();
    expect(metadata).toMatchObject({
      origin: "legacy",
      labels: { a: "b" },
      unknownKeys: ["owner"],
      extra: { owner: "team" },
    });
  });

  it("shares nothing with its input", () => {
    const input = { ...payload(), context_window: { window_id: "w1" } };
    const metadata = metadataFromJson(input)._unsafeUnwrap();
    input.context_window.window_id = "changed";
    expect(metadata.extra["context_window"]).toEqual({ window_id: "w1" });
  });

  it("rejects what it cannot read as InvalidMetadata, with the path", () => {
    const cases: [unknown, string, string][] = [
      ["{not json", "metadata", "is a string but not valid JSON"],
      [42, "metadata", "expected an object"],
      [[], "metadata", "expected an object"],
      [{ type: "session_meta", payload: 1 }, "metadata.payload", "expected an object"],
      [{ id: 7 }, "metadata.id", "expected string, got 7"],
      [{ labels: { a: 1 } }, "metadata.labels.a", "expected string, got 1"],
      [{ created_at: 5 }, "metadata.created_at", "expected string, got 5"],
    ];
    for (const [input, path, message] of cases)
      expect(metadataFromJson(input)._unsafeUnwrapErr()).toMatchObject({
        _tag: "InvalidMetadata",
        issues: [{ path, message }],
      });
  });

  it("reads every legacy-shaped object", () => {
    assertProperty(
      fc.property(validLegacyMetadata, (m) => {
        const metadata = metadataFromJson(m)._unsafeUnwrap();
        expect(metadata.labels).toEqual(m.labels ?? {});
        expect(metadata.createdAt).toBe(m.created_at ?? null);
        expect(ThreadMetadata.is(metadata)).toBe(true);
        expect(metadataFromJson(JSON.stringify(m))._unsafeUnwrap()).toEqual(metadata);
      }),
      { numRuns: 100 },
    );
  });

  it("never throws, whatever it is given", () => {
    assertProperty(
      fc.property(anyInput, (u) => {
        expect(() => metadataFromJson(u.make())).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
