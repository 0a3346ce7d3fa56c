/**
 * The model stub, proven against the real `codex` CLI (0.169.0 and 0.163.0): with the default
 * script and usage rule, the CLI's JSONL matches the reference recordings in
 * golden/codex-cli-0.169.0 (thread ids aside). Plus plain HTTP checks of the stub itself.
 */

import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

import {
  defaultUsage,
  startModelStub,
  STUB_LIMITS,
  type ModelStub,
  type ModelStubOptions,
  type StubReply,
  type StubRequest,
  type StubScript,
} from "../../lib/testing/model-stub.js";
import { makeSandbox, type Sandbox } from "../../lib/testing/sandbox.js";

const VENDOR = "vendor/x86_64-unknown-linux-musl/bin/codex";
const CODEX_169 = join(process.cwd(), "node_modules/@openai/codex-linux-x64", VENDOR);
const CODEX_163 = join(
  process.cwd(),
  "node_modules/@openai/codex-sdk/node_modules/@openai/codex-linux-x64",
  VENDOR,
);
const GOLDEN = join(process.cwd(), "golden/codex-cli-0.169.0");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHELL_ARGS = [
  "-m",
  "gpt-5",
  "--sandbox",
  "danger-full-access",
  "-c",
  'approval_policy="never"',
];

type Json = Record<string, unknown>;

interface Run {
  readonly events: Json[];
  readonly stderr: string;
  readonly code: number | null;
  readonly ms: number;
}

/** Runs `codex exec --experimental-json` against the stub in the sandbox, prompt on stdin. */
function codex(
  bin: string,
  stub: ModelStub,
  sb: Sandbox,
  args: string[],
  prompt: string,
): Promise<Run> {
  const argv = [
    "exec",
    "--experimental-json",
    "--skip-git-repo-check",
    ...stub.providerArgs(),
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(bin, argv, {
      cwd: sb.cwd,
      env: {
        PATH: process.env["PATH"],
        HOME: sb.codexHome,
        CODEX_HOME: sb.codexHome,
        CODEX_API_KEY: "stub-key",
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const events = stdout
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Json);
      resolve({ events, stderr, code, ms: Math.round(performance.now() - started) });
    });
    child.stdin.end(prompt);
  });
}

async function golden(name: string): Promise<Json[]> {
  const text = await readFile(join(GOLDEN, `${name}.jsonl`), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Json);
}

/** The recording with its thread id replaced by `threadId`. */
function withThreadId(events: Json[], threadId: string): Json[] {
  return events.map((e) => (e["type"] === "thread.started" ? { ...e, thread_id: threadId } : e));
}

function threadIdOf(run: Run): string {
  const started = run.events[0];
  expect(started?.["type"]).toBe("thread.started");
  const id = started?.["thread_id"];
  expect(typeof id).toBe("string");
  expect(id).toMatch(UUID);
  return String(id);
}

// Every test gets a fresh stub (request numbering starts at 1) and sandbox.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});
async function setup(
  script?: StubScript,
  options?: ModelStubOptions,
): Promise<{ stub: ModelStub; sb: Sandbox }> {
  const stub = await startModelStub(script, options);
  const sb = await makeSandbox();
  cleanups.push(
    () => stub.close(),
    () => sb.dispose(),
  );
  return { stub, sb };
}

describe("the real codex CLI 0.169.0 against the stub", () => {
  it("runs a text turn exactly like basic/turn1.jsonl", async () => {
    const { stub, sb } = await setup();
    const run = await codex(CODEX_169, stub, sb, [], "Say hello\n");
    expect(run.code).toBe(0);
    expect(run.events).toEqual(withThreadId(await golden("basic/turn1"), threadIdOf(run)));
    expect(run.stderr).toContain("Reading prompt from stdin...");
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]).toMatchObject({
      index: 1,
      path: "/v1/responses",
      userText: "Say hello",
      hasFunctionCallOutput: false,
    });
    expect(stub.requests[0]?.body).toMatchObject({ stream: true });
  });

  it("resumes a thread: same id, cumulative usage like resume/turn{1,2,3}.jsonl", async () => {
    const { stub, sb } = await setup();
    const first = await codex(CODEX_169, stub, sb, [], "First question");
    const threadId = threadIdOf(first);
    const second = await codex(CODEX_169, stub, sb, ["resume", threadId], "Second question");
    const third = await codex(CODEX_169, stub, sb, ["resume", threadId], "Third question");
    for (const [i, run] of [first, second, third].entries()) {
      expect(run.code).toBe(0);
      expect(threadIdOf(run)).toBe(threadId);
      expect(run.events).toEqual(withThreadId(await golden(`resume/turn${i + 1}`), threadId));
    }
    expect(stub.requests.map((r) => r.userText)).toEqual([
      "First question",
      "Second question",
      "Third question",
    ]);
    // One rollout file, which every turn appended to.
    const files = (await readdir(join(sb.codexHome, "sessions"), { recursive: true })).filter((f) =>
      f.endsWith(".jsonl"),
    );
    expect(files).toHaveLength(1);
    expect(files[0]).toContain(threadId);
  });

  it("runs an exec_command tool call like shell/turn1.jsonl", async () => {
    const { stub, sb } = await setup();
    const run = await codex(CODEX_169, stub, sb, SHELL_ARGS, "run: echo hello-from-shell");
    expect(run.code).toBe(0);
    const expected = withThreadId(await golden("shell/turn1"), threadIdOf(run));
    // The command is run through the user's login shell (`/bin/bash -lc '…'` when recorded).
    const started = run.events.find((e) => e["type"] === "item.started");
    const command = String((started?.["item"] as Json | undefined)?.["command"]);
    expect(command).toMatch(/ -lc 'echo hello-from-shell'$/);
    const sameShell = expected.map((e) => {
      const item = e["item"] as Json | undefined;
      return item?.["type"] === "command_execution" ? { ...e, item: { ...item, command } } : e;
    });
    expect(run.events).toEqual(sameShell);
    const completed = run.events.find(
      (e) => e["type"] === "item.completed" && (e["item"] as Json)["type"] === "command_execution",
    );
    expect(completed?.["item"]).toMatchObject({
      aggregated_output: "hello-from-shell\n",
      exit_code: 0,
      status: "completed",
    });
    expect(stub.requests.map((r) => r.hasFunctionCallOutput)).toEqual([false, true]);
  });

  it("passes a failing command's exit code through and answers the follow-up with thenText", async () => {
    const { stub, sb } = await setup(() => ({
      kind: "shell",
      cmd: "echo out; exit 3",
      thenText: "It failed.",
    }));
    const run = await codex(CODEX_169, stub, sb, SHELL_ARGS, "go");
    expect(run.code).toBe(0);
    const items = run.events.filter((e) => e["type"] === "item.completed").map((e) => e["item"]);
    expect(items).toContainEqual(
      expect.objectContaining({
        type: "command_execution",
        aggregated_output: "out\n",
        exit_code: 3,
        status: "failed",
      }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({ type: "agent_message", text: "It failed." }),
    );
    expect(stub.requests).toHaveLength(2); // the follow-up never reached the script
  });

  it("answers an --output-schema turn with JSON like structured/turn1.jsonl", async () => {
    const { stub, sb } = await setup(() => ({ kind: "json", value: { status: "ok", count: 2 } }));
    const schemaFile = join(sb.codexHome, "schema.json");
    const schema = {
      type: "object",
      properties: { status: { type: "string" }, count: { type: "number" } },
      required: ["status", "count"],
      additionalProperties: false,
    };
    await writeFile(schemaFile, JSON.stringify(schema));
    const run = await codex(CODEX_169, stub, sb, ["--output-schema", schemaFile], "Give status");
    expect(run.code).toBe(0);
    expect(run.events).toEqual(withThreadId(await golden("structured/turn1"), threadIdOf(run)));
    expect(stub.requests[0]?.body).toMatchObject({
      text: { format: { type: "json_schema", schema } },
    });
  });

  it("fails the turn on HTTP 500 like fail500/turn1.jsonl, exit 1", async () => {
    const { stub, sb } = await setup(() => ({ kind: "status", status: 500 }));
    const retries = [
      "-c",
      "model_providers.stub.request_max_retries=1",
      "-c",
      "model_providers.stub.stream_max_retries=0",
    ];
    const run = await codex(CODEX_169, stub, sb, retries, "hello");
    expect(run.code).toBe(1);
    expect(run.events).toEqual(withThreadId(await golden("fail500/turn1"), threadIdOf(run)));
    expect(stub.requests).toHaveLength(2); // the first try and one retry
  });
});

describe("the real codex CLI 0.163.0 against the stub", () => {
  it("completes a text turn and a resumed one", async () => {
    const { stub, sb } = await setup();
    const first = await codex(CODEX_163, stub, sb, [], "Say hello\n");
    expect(first.code).toBe(0);
    const threadId = threadIdOf(first);
    expect(first.events).toEqual(withThreadId(await golden("basic/turn1"), threadId));
    const second = await codex(CODEX_163, stub, sb, ["resume", threadId], "Again");
    expect(second.code).toBe(0);
    expect(threadIdOf(second)).toBe(threadId);
    expect(second.events).toContainEqual({
      type: "item.completed",
      item: { id: "item_0", type: "agent_message", text: "Hello from stub 2: Again" },
    });
  });
});

// ---------------------------------------------------------------------------------------------

interface Sse {
  readonly status: number;
  readonly contentType: string | null;
  readonly events: Json[];
  readonly text: string;
}

async function post(stub: ModelStub, body: string, path = "/v1/responses"): Promise<Sse> {
  const res = await fetch(`http://127.0.0.1:${stub.port}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const text = await res.text();
  const events = text
    .split("\n\n")
    .map((block) => block.split("\n").find((l) => l.startsWith("data: ")))
    .filter((l): l is string => l !== undefined)
    .map((l) => JSON.parse(l.slice("data: ".length)) as Json);
  return { status: res.status, contentType: res.headers.get("content-type"), events, text };
}

function userInput(text: string, extra: unknown[] = []): string {
  return JSON.stringify({
    model: "m",
    stream: true,
    input: [
      {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "<environment_context/>" }],
      },
      { type: "message", role: "user", content: [{ type: "input_text", text }] },
      ...extra,
    ],
  });
}

describe("the stub over plain HTTP", () => {
  it("streams a message as created, added, deltas, done, completed with usage", async () => {
    const { stub } = await setup();
    const res = await post(stub, userInput("  hi there \n"));
    expect(res.status).toBe(200);
    expect(res.contentType).toBe("text/event-stream");
    const types = res.events.map((e) => e["type"]);
    expect(types[0]).toBe("response.created");
    expect(types[1]).toBe("response.output_item.added");
    expect(types.slice(2, -2).every((t) => t === "response.output_text.delta")).toBe(true);
    expect(types.slice(-2)).toEqual(["response.output_item.done", "response.completed"]);
    const text = res.events
      .filter((e) => e["type"] === "response.output_text.delta")
      .map((e) => e["delta"])
      .join("");
    expect(text).toBe("Hello from stub 1: hi there");
    expect(res.events.at(-1)?.["response"]).toMatchObject({
      id: "resp_1",
      status: "completed",
      usage: {
        input_tokens: 24,
        input_tokens_details: { cached_tokens: 6 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 1 },
      },
    });
    expect(stub.requests).toEqual([
      {
        index: 1,
        path: "/v1/responses",
        body: JSON.parse(userInput("  hi there \n")),
        headers: expect.objectContaining({ "content-type": "application/json" }) as unknown,
        userText: "hi there",
        hasFunctionCallOutput: false,
      },
    ]);
  });

  it("answers unknown paths with 404 and other methods with 405, recording nothing", async () => {
    const { stub } = await setup();
    expect((await fetch(`${stub.baseUrl}/models`)).status).toBe(404);
    expect((await post(stub, userInput("x"), "/v2/responses")).status).toBe(404);
    expect((await fetch(`${stub.baseUrl}/responses`)).status).toBe(405);
    expect(stub.requests).toEqual([]);
  });

  it("answers malformed JSON with 400 and keeps serving", async () => {
    const { stub } = await setup();
    expect((await post(stub, "{not json")).status).toBe(400);
    expect((await post(stub, "[1,2]")).status).toBe(400);
    const ok = await post(stub, userInput("after"));
    expect(ok.status).toBe(200);
    expect(stub.requests.map((r) => [r.index, r.userText])).toEqual([[1, "after"]]);
  });

  it("answers a throwing or invalid script with 500 and keeps serving", async () => {
    let calls = 0;
    const { stub } = await setup((req) => {
      calls += 1;
      if (calls === 1) throw new Error("boom");
      if (calls === 2) return JSON.parse('{"kind":"nonsense"}') as StubReply;
      return { kind: "text", text: `ok ${req.index}` };
    });
    const failed = await post(stub, userInput("a"));
    expect(failed.status).toBe(500);
    expect(failed.text).toContain("boom");
    expect((await post(stub, userInput("b"))).status).toBe(500);
    expect((await post(stub, userInput("c"))).events.at(-2)?.["item"]).toMatchObject({
      content: [{ type: "output_text", text: "ok 3" }],
    });
  });

  it("sends a shell call and answers its follow-up with thenText, without the script", async () => {
    const seen: StubRequest[] = [];
    const { stub } = await setup((req) => {
      seen.push(req);
      return { kind: "shell", cmd: "ls", thenText: "listed" };
    });
    const call = await post(stub, userInput("list"));
    const item = call.events.find((e) => e["type"] === "response.output_item.done")?.[
      "item"
    ] as Json;
    expect(item).toMatchObject({
      type: "function_call",
      name: "exec_command",
      arguments: '{"cmd":"ls"}',
    });
    const output = { type: "function_call_output", call_id: item["call_id"], output: "a\nb\n" };
    const follow = await post(stub, userInput("list", [item, output]));
    const done = follow.events.find((e) => e["type"] === "response.output_item.done")?.["item"];
    expect(done).toMatchObject({
      type: "message",
      content: [{ type: "output_text", text: "listed" }],
    });
    expect(seen).toHaveLength(1);
    expect(stub.requests.map((r) => r.hasFunctionCallOutput)).toEqual([false, true]);
  });

  it("streams many chunks and status bodies verbatim", async () => {
    const replies: StubReply[] = [
      { kind: "chunks", count: 1000, chunkText: "ab" },
      { kind: "status", status: 429, body: "slow down" },
    ];
    const { stub } = await setup((req) => replies[req.index - 1] ?? { kind: "text", text: "?" });
    const long = await post(stub, userInput("x"));
    expect(long.events.filter((e) => e["type"] === "response.output_text.delta")).toHaveLength(
      1000,
    );
    expect(long.events.at(-2)?.["item"]).toMatchObject({ content: [{ text: "ab".repeat(1000) }] });
    const limited = await post(stub, userInput("y"));
    expect([limited.status, limited.text]).toEqual([429, "slow down"]);
  });

  it("close() ends pending delayed responses and keep-alive sockets at once", async () => {
    const { stub } = await setup((req) =>
      req.userText === "wait"
        ? { reply: { kind: "text", text: "late" }, delayMs: 10 * 60_000 }
        : { kind: "text", text: "now" },
    );
    expect((await post(stub, "{}")).status).toBe(200); // leaves a keep-alive connection open
    const pending = post(stub, userInput("wait")).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t = performance.now();
    await stub.close();
    await pending;
    expect(performance.now() - t).toBeLessThan(1000);
    await expect(fetch(stub.baseUrl)).rejects.toThrow();
  });

  it("describes itself as a provider for -c flags and SDK config", async () => {
    const { stub } = await setup();
    expect(stub.baseUrl).toBe(`http://127.0.0.1:${stub.port}/v1`);
    expect(stub.providerArgs()).toEqual([
      "-c",
      `model_providers.stub={name="stub",base_url="${stub.baseUrl}",env_key="CODEX_API_KEY",wire_api="responses"}`,
      "-c",
      'model_provider="stub"',
    ]);
    expect(stub.providerConfig()).toEqual({
      model_providers: {
        stub: {
          name: "stub",
          base_url: stub.baseUrl,
          env_key: "CODEX_API_KEY",
          wire_api: "responses",
        },
      },
      model_provider: "stub",
    });
    expect(STUB_LIMITS.maxDelayMs).toBeGreaterThan(0);
  });

  it("bills custom usage", async () => {
    const usage = {
      inputTokens: 7,
      cachedInputTokens: 1,
      outputTokens: 2,
      reasoningOutputTokens: 0,
    };
    const { stub } = await setup(undefined, { usage: () => usage });
    const res = await post(stub, userInput("x"));
    expect(res.events.at(-1)?.["response"]).toMatchObject({
      usage: {
        input_tokens: 7,
        input_tokens_details: { cached_tokens: 1 },
        output_tokens: 2,
        total_tokens: 9,
      },
    });
  });

  it("bills usage by the recorded rule", () => {
    const req = (index: number): StubRequest => ({
      index,
      path: "/v1/responses",
      body: {},
      headers: {},
      userText: "",
      hasFunctionCallOutput: false,
    });
    expect(defaultUsage(req(1), { kind: "text", text: "x" })).toEqual({
      inputTokens: 24,
      cachedInputTokens: 6,
      outputTokens: 5,
      reasoningOutputTokens: 1,
    });
    expect(defaultUsage(req(3), { kind: "text", text: "x" })).toEqual({
      inputTokens: 48,
      cachedInputTokens: 12,
      outputTokens: 5,
      reasoningOutputTokens: 1,
    });
    expect(defaultUsage(req(1), { kind: "shell", cmd: "x" })).toEqual({
      inputTokens: 40,
      cachedInputTokens: 10,
      outputTokens: 12,
      reasoningOutputTokens: 2,
    });
    expect(defaultUsage(req(1), { kind: "json", value: 1 })).toEqual({
      inputTokens: 30,
      cachedInputTokens: 7,
      outputTokens: 8,
      reasoningOutputTokens: 1,
    });
  });
});
