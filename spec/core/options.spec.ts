/**
 * The options codecs: every option of @openai/codex-sdk under the same name, unknown keys
 * rejected, and every problem of one input reported at once with its path and message.
 */
import type {
  ApprovalMode as SdkApprovalMode,
  CodexOptions as SdkCodexOptions,
  CyberAccessProgram as SdkCyberAccessProgram,
  ModelReasoningEffort as SdkModelReasoningEffort,
  SandboxMode as SdkSandboxMode,
  ThreadOptions as SdkThreadOptions,
  TurnOptions as SdkTurnOptions,
  WebSearchMode as SdkWebSearchMode,
} from "@openai/codex-sdk";
import fc from "fast-check";
import { assertProperty } from "../support/property.js";
import { isRight } from "fp-ts/lib/Either.js";
import * as t from "io-ts";

import {
  CodexOptions,
  Redacted,
  ThreadOptions,
  TurnOptions,
  startThread,
  type Issue,
} from "../../lib/index.js";
import {
  ApiKey,
  ApprovalPolicy,
  CyberAccessProgram,
  Labels,
  ModelReasoningEffort,
  SandboxMode,
  WebSearchMode,
} from "../../lib/codecs/index.js";
import { decodeAll } from "../../lib/core/decoding/decode.js";
import { anyInput } from "../support/arbitraries.js";
import { THREAD_ERROR_TAGS, errorProblem, threadProblem } from "../fuzz/support/harness.js";
import { untyped } from "../support/untyped.js";

/** True when A and B are the same type (checked by `tsc --noEmit`). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(check: Same<A, B>): Same<A, B> => check;

/** Every option the SDK has, each with a valid value: the compiler insists on all of them. */
const everyCodexOption: Required<SdkCodexOptions> = {
  codexPathOverride: "/opt/codex/bin/codex",
  baseUrl: "https://api.example.com/v1",
  apiKey: "sk-test-0123456789",
  config: { model_reasoning_summary: "auto", sandbox_workspace_write: { network_access: true } },
  configOverrides: ['model="gpt-5"'],
  env: { PATH: "/usr/bin", OPENAI_API_KEY: "sk-test-0123456789" },
};
const everySdkThreadOption: Required<SdkThreadOptions> = {
  model: "gpt-5",
  threadSource: "user",
  sandboxMode: "workspace-write",
  workingDirectory: "/work/project",
  skipGitRepoCheck: true,
  modelReasoningEffort: "high",
  networkAccessEnabled: false,
  webSearchMode: "cached",
  webSearchEnabled: true,
  approvalPolicy: "on-request",
  additionalDirectories: ["/work/shared", "./-dash"],
};
const everyThreadOption = {
  ...everySdkThreadOption,
  ephemeral: true,
  labels: { team: "sdk", ticket: "ISSUE-2" },
};
const everySdkTurnOption: Required<SdkTurnOptions> = {
  cyberAccessProgram: "standard",
  outputSchema: { type: "object", properties: { answer: { type: "string" } } },
  signal: new AbortController().signal,
};
const everyTurnOption = { ...everySdkTurnOption, timeoutMs: 60_000 };

const issuesOf = <A>(codec: t.Decoder<unknown, A>, u: unknown, root: string): Issue[] => {
  const r = decodeAll(codec, u, root);
  return r._tag === "Left" ? r.left : [];
};

describe("the option enums", () => {
  it("are exactly the SDK's unions", () => {
    expect(same<SandboxMode, SdkSandboxMode>(true)).toBe(true);
    expect(same<ModelReasoningEffort, SdkModelReasoningEffort>(true)).toBe(true);
    expect(same<WebSearchMode, SdkWebSearchMode>(true)).toBe(true);
    expect(same<ApprovalPolicy, SdkApprovalMode>(true)).toBe(true);
    expect(same<t.TypeOf<typeof CyberAccessProgram>, SdkCyberAccessProgram>(true)).toBe(true);
    expect(Object.keys(SandboxMode.keys)).toEqual([
      "read-only",
      "workspace-write",
      "danger-full-access",
    ]);
    expect(Object.keys(ModelReasoningEffort.keys)).toEqual([
      "minimal",
      "low",
      "medium",
      "high",
      "xhigh",
      "max",
      "ultra",
      "persistent",
    ]);
    expect(Object.keys(WebSearchMode.keys)).toEqual(["disabled", "cached", "live"]);
    expect(Object.keys(ApprovalPolicy.keys)).toEqual([
      "never",
      "on-request",
      "on-failure",
      "untrusted",
    ]);
    expect(Object.keys(CyberAccessProgram.keys)).toEqual([
      "standard",
      "daybreak_blue",
      "daybreak_red",
    ]);
  });
});

describe("CodexOptions", () => {
  it("accepts every option of the SDK's CodexOptions", () => {
    const r = CodexOptions.decode(everyCodexOption);
    expect(isRight(r)).toBe(true);
    if (!isRight(r)) return;
    expect(Object.keys(r.right).sort()).toEqual(Object.keys(everyCodexOption).sort());
    expect(r.right.baseUrl).toBe("https://api.example.com/v1");
    expect(r.right.configOverrides).toEqual(['model="gpt-5"']);
  });

  it("keeps the API key and env in Redacted boxes", () => {
    const r = CodexOptions.decode(everyCodexOption);
    if (!isRight(r)) throw new Error("expected valid options");
    expect(Redacted.is(r.right.apiKey)).toBe(true);
    expect(r.right.apiKey?.reveal()).toBe("sk-test-0123456789");
    expect(Redacted.is(r.right.env)).toBe(true);
    expect(r.right.env?.reveal()).toEqual(everyCodexOption.env);
    expect(JSON.stringify(r.right)).not.toContain("sk-test");
  });

  it("accepts an API key already in a Redacted box", () => {
    const r = ApiKey.decode(Redacted.of("sk-boxed"));
    expect(isRight(r) && r.right.reveal()).toBe("sk-boxed");
  });

  it("rejects an unknown key, naming it", () => {
    expect(issuesOf(CodexOptions, { apiKey: "sk-x", timeout: 5 }, "codexOptions")).toEqual([
      { path: "codexOptions.timeout", message: 'unknown key "timeout"' },
    ]);
  });

  it("reports every problem of one input at once", () => {
    const issues = issuesOf(
      CodexOptions,
      {
        codexPathOverride: "",
        baseUrl: "ftp://example.com",
        config: { "a.b": 1 },
        configOverrides: ["novalue", 'ok="1"'],
        env: { "A=B": "x", C: 1 },
        extra: true,
      },
      "codexOptions",
    );
    expect(issues).toEqual([
      { path: "codexOptions.codexPathOverride", message: "must not be empty" },
      { path: "codexOptions.baseUrl", message: "must be an http(s) URL" },
      {
        path: "codexOptions.config.a.b",
        message: "a key on a --config path may hold only letters, digits, _ and -",
      },
      { path: "codexOptions.configOverrides[0]", message: 'must have the form "key=value"' },
      { path: "codexOptions.env.A=B", message: 'must not contain "=" or NUL' },
      { path: "codexOptions.env.C", message: "expected a string, got 1" },
      { path: "codexOptions.extra", message: 'unknown key "extra"' },
    ]);
  });

  it("rejects a base URL that is not absolute", () => {
    expect(issuesOf(CodexOptions, { baseUrl: "/v1" }, "o")).toEqual([
      { path: "o.baseUrl", message: "must be an absolute http(s) URL" },
    ]);
  });

  it("rejects NUL characters in anything that reaches the CLI", () => {
    expect(
      issuesOf(
        CodexOptions,
        { codexPathOverride: "/bin/co\u0000dex", env: { A: "x\u0000y" } },
        "o",
      ),
    ).toEqual([
      { path: "o.codexPathOverride", message: "must not contain a NUL character" },
      { path: "o.env.A", message: "must not contain a NUL character" },
    ]);
  });

  it("rejects an invalid API key without echoing it", () => {
    for (const key of ["", "sk-has space", "sk-tab\there", "sk-nl\n", "sk-del\u007f"]) {
      const issues = issuesOf(CodexOptions, { apiKey: key }, "codexOptions");
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path).toBe("codexOptions.apiKey");
      if (key !== "") expect(JSON.stringify(issues)).not.toContain(key.slice(0, 6));
    }
  });
});

describe("ThreadOptions", () => {
  it("accepts every option of the SDK's ThreadOptions, plus ephemeral and labels", () => {
    const r = ThreadOptions.decode(everyThreadOption);
    expect(isRight(r) && r.right).toEqual(everyThreadOption);
  });

  it("rejects values of the wrong kind, each with its path", () => {
    const issues = issuesOf(
      ThreadOptions,
      {
        model: "-m",
        threadSource: "",
        sandboxMode: "yolo",
        workingDirectory: "-rf",
        skipGitRepoCheck: "yes",
        modelReasoningEffort: "extreme",
        networkAccessEnabled: 1,
        webSearchMode: "always",
        webSearchEnabled: null,
        approvalPolicy: "sometimes",
        additionalDirectories: ["ok", "--add-dir"],
        ephemeral: "true",
        labels: { team: 7 },
      },
      "threadOptions",
    );
    expect(issues.map((i) => i.path)).toEqual([
      "threadOptions.model",
      "threadOptions.threadSource",
      "threadOptions.sandboxMode",
      "threadOptions.workingDirectory",
      "threadOptions.skipGitRepoCheck",
      "threadOptions.modelReasoningEffort",
      "threadOptions.networkAccessEnabled",
      "threadOptions.webSearchMode",
      "threadOptions.webSearchEnabled",
      "threadOptions.approvalPolicy",
      "threadOptions.additionalDirectories[1]",
      "threadOptions.ephemeral",
      "threadOptions.labels.team",
    ]);
    expect(issues[0]?.message).toMatch(/must not start with "-"/);
    expect(issues[3]?.message).toMatch(/write "\.\/-name"/);
    expect(issues.every((i) => i.message.length > 0)).toBe(true);
  });

  it("rejects an unknown key, such as a client option given per thread", () => {
    expect(issuesOf(ThreadOptions, { apiKey: "sk-live-abc" }, "threadOptions")).toEqual([
      { path: "threadOptions.apiKey", message: 'unknown key "apiKey"' },
    ]);
  });

  it("treats an option set to undefined as absent", () => {
    expect(issuesOf(ThreadOptions, { model: undefined }, "threadOptions")).toEqual([]);
  });

  it("has labels of strings only", () => {
    expect(Labels.is({ a: "1" })).toBe(true);
    expect(Labels.is({ a: 1 })).toBe(false);
  });
});

describe("TurnOptions", () => {
  it("accepts every option of the SDK's TurnOptions, plus timeoutMs", () => {
    const r = TurnOptions.decode(everyTurnOption);
    expect(isRight(r) && r.right).toEqual(everyTurnOption);
  });

  it("rejects an output schema that is not a JSON object", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(issuesOf(TurnOptions, { outputSchema: [] }, "turn")).toEqual([
      { path: "turn.outputSchema", message: "expected a JSON object, got an array" },
    ]);
    expect(issuesOf(TurnOptions, { outputSchema: { n: 1n } }, "turn")).toEqual([
      {
        path: "turn.outputSchema",
        message: "must be JSON-serializable (no cycles, no BigInt)",
      },
    ]);
    expect(issuesOf(TurnOptions, { outputSchema: cyclic }, "turn")).toEqual([
      { path: "turn.outputSchema.self", message: "must not contain a cycle" },
    ]);
  });

  it("accepts a timeout from 1 ms to the largest timer delay", () => {
    for (const ok of [1, 60_000, 2_147_483_647])
      expect(issuesOf(TurnOptions, { timeoutMs: ok }, "turn")).toEqual([]);
    for (const bad of [0, -1, 1.5, 2_147_483_648, Number.NaN, Infinity, "10"])
      expect(issuesOf(TurnOptions, { timeoutMs: bad }, "turn")).toHaveLength(1);
  });

  it("rejects a signal that is not an AbortSignal and an unknown program", () => {
    expect(
      issuesOf(TurnOptions, { signal: { aborted: false }, cyberAccessProgram: "x" }, "turn").map(
        (i) => i.path,
      ),
    ).toEqual(["turn.signal", "turn.cyberAccessProgram"]);
  });

  it("rejects an unknown key", () => {
    expect(issuesOf(TurnOptions, { timeout: 5 }, "turn")).toEqual([
      { path: "turn.timeout", message: 'unknown key "timeout"' },
    ]);
  });
});

describe("startThread with options", () => {
  it("reports the problems of both option objects in one error", () => {
    const r = startThread({ baseUrl: "nope" }, untyped({ sandboxMode: "nope", mdoel: "gpt-5" }));
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
      path: "codexOptions.baseUrl",
      issues: [
        { path: "codexOptions.baseUrl" },
        { path: "threadOptions.sandboxMode" },
        { path: "threadOptions.mdoel", message: 'unknown key "mdoel"' },
      ],
    });
  });

  it("reads each option exactly once (a getter cannot slip a flag past validation)", () => {
    let reads = 0;
    const sly = {
      get model() {
        reads += 1;
        return reads === 1 ? "gpt-5" : "--dangerously-bypass-approvals-and-sandbox";
      },
    };
    const thread = startThread({}, sly)._unsafeUnwrap();
    expect(thread.threadOptions.model).toBe("gpt-5");
    expect(reads).toBe(1);
  });

  it("never throws: whatever it is given, a sound Thread or a well-formed error", () => {
    let checked = 0;
    assertProperty(
      fc.property(anyInput, anyInput, (a, b) => {
        const r = startThread(untyped(a.make()), untyped(b.make()));
        const problem = r.isOk()
          ? threadProblem(r.value)
          : errorProblem(r.error, THREAD_ERROR_TAGS);
        expect(problem).toBeNull();
        checked++;
      }),
      { numRuns: 300 },
    );
    expect(checked).toBe(300);
  });

  it("codecs never throw on values that are not hostile", () => {
    const codecs: { decode(u: unknown): t.Validation<unknown>; is(u: unknown): boolean }[] = [
      CodexOptions,
      ThreadOptions,
      TurnOptions,
      ApiKey,
      Labels,
      SandboxMode,
    ];
    let checked = 0;
    assertProperty(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withDate: true }), (u) => {
        for (const c of codecs) {
          const r = c.decode(u);
          // A refusal says why; an acceptance is a value the codec itself recognises.
          if (isRight(r)) expect(c.is(r.right)).toBe(true);
          else expect(r.left.length).toBeGreaterThan(0);
        }
        checked++;
      }),
      { numRuns: 200 },
    );
    expect(checked).toBe(200);
  });
});
