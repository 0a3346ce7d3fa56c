/**
 * Records real `codex app-server` JSON-RPC exchanges into golden/app-server-<version>/*.jsonl.
 *
 *   node --import tsx scripts/record-app-server-golden.ts [--codex PATH] [--out DIR]
 *
 * Each app-server runs with a throw-away CODEX_HOME, CODEX_API_KEY=x, and `-c` overrides that
 * point it at a loopback stub of the Responses API (started here), so no real model or network
 * is used. Every line written to the server's stdin and read from its stdout is stored verbatim:
 *
 *   {"from":"client","line":"<exact line sent>"}
 *   {"from":"server","line":"<exact line received>"}
 *
 * The stub answers by the last user message: text containing "hang" streams one delta and then
 * stalls (to exercise turn/interrupt), "fail" returns HTTP 400, anything else streams
 * "Hello" + " world" and completes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { codexVersion, codexBinaryPath } from "./codegen-lib.js";

type JsonObject = { [key: string]: unknown };

interface Recorded {
  readonly from: "client" | "server";
  readonly line: string;
}

// ---------------------------------------------------------------------------------------------
// Loopback Responses API stub
// ---------------------------------------------------------------------------------------------

interface Stub {
  readonly baseUrl: string;
  readonly requests: string[];
  close(): Promise<void>;
}

function lastUserText(body: unknown): string {
  const input = (body as { input?: unknown }).input;
  if (!Array.isArray(input)) return "";
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i] as { role?: unknown; content?: unknown };
    if (item.role !== "user" || !Array.isArray(item.content)) continue;
    return item.content
      .map((c: { text?: unknown }) => (typeof c.text === "string" ? c.text : ""))
      .join("");
  }
  return "";
}

async function startStub(): Promise<Stub> {
  const requests: string[] = [];
  const open = new Set<http.ServerResponse>();
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push(`${req.method ?? "?"} ${req.url ?? "?"}`);
      if (req.method !== "POST" || !(req.url ?? "").endsWith("/responses")) {
        res
          .writeHead(404, { "content-type": "application/json" })
          .end('{"error":{"message":"not found"}}');
        return;
      }
      let body: unknown = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        // leave empty
      }
      const text = lastUserText(body);
      n++;
      const respId = `resp_stub_${n}`;
      const msgId = `msg_stub_${n}`;
      if (text.includes("fail")) {
        res.writeHead(400, { "content-type": "application/json" }).end(
          JSON.stringify({
            error: {
              message: "stub: rejected on purpose",
              type: "invalid_request_error",
              code: null,
            },
          }),
        );
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      open.add(res);
      res.on("close", () => open.delete(res));
      const events: JsonObject[] = [
        { type: "response.created", response: { id: respId } },
        {
          type: "response.output_item.added",
          item: { type: "message", role: "assistant", id: msgId, content: [] },
        },
        {
          type: "response.output_text.delta",
          item_id: msgId,
          output_index: 0,
          content_index: 0,
          delta: "Hello",
        },
      ];
      const hang = text.includes("hang");
      if (!hang) {
        events.push(
          {
            type: "response.output_text.delta",
            item_id: msgId,
            output_index: 0,
            content_index: 0,
            delta: " world",
          },
          {
            type: "response.output_item.done",
            item: {
              type: "message",
              role: "assistant",
              id: msgId,
              content: [{ type: "output_text", text: "Hello world" }],
            },
          },
          {
            type: "response.completed",
            response: {
              id: respId,
              usage: {
                input_tokens: 10,
                input_tokens_details: { cached_tokens: 0 },
                output_tokens: 2,
                output_tokens_details: { reasoning_tokens: 0 },
                total_tokens: 12,
              },
            },
          },
        );
      }
      let i = 0;
      const tick = (): void => {
        if (res.writableEnded || res.destroyed) return;
        const ev = events[i++];
        if (ev === undefined) {
          if (!hang) res.end();
          return; // hang: keep the stream open until the client goes away
        }
        res.write(`event: ${String(ev.type)}\ndata: ${JSON.stringify(ev)}\n\n`);
        setTimeout(tick, 30);
      };
      tick();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of open) r.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// app-server session
// ---------------------------------------------------------------------------------------------

class Session {
  readonly log: Recorded[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly inbox: JsonObject[] = [];
  private readonly waiters: (() => void)[] = [];
  private nextId = 0;
  private readonly exited: Promise<number | null>;
  stderr = "";

  constructor(codex: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string) {
    this.child = spawn(codex, ["app-server", ...args], {
      env,
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
    this.child.stderr.on("data", (c: Buffer) => (this.stderr += c.toString("utf8")));
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      this.log.push({ from: "server", line });
      this.inbox.push(JSON.parse(line) as JsonObject);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  send(msg: JsonObject): void {
    const line = JSON.stringify(msg);
    this.log.push({ from: "client", line });
    this.child.stdin.write(`${line}\n`);
  }

  notify(method: string, params?: JsonObject): void {
    this.send(params === undefined ? { method } : { method, params });
  }

  /** Send a request; resolve with its response (result or error) once it arrives. */
  async request(
    method: string,
    params?: JsonObject,
    id: number | string = this.nextId++,
  ): Promise<JsonObject> {
    this.send(params === undefined ? { id, method } : { id, method, params });
    return this.waitFor((m) => m.id === id && !("method" in m), `response to ${method}`);
  }

  /** Wait for (and return) the first not-yet-consumed server message matching `pred`. */
  async waitFor(
    pred: (m: JsonObject) => boolean,
    what: string,
    timeoutMs = 20000,
  ): Promise<JsonObject> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex(pred);
      if (i !== -1) return this.inbox.splice(i, 1)[0] as JsonObject;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}\nstderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  waitNotification(
    method: string,
    extra: (p: JsonObject) => boolean = () => true,
  ): Promise<JsonObject> {
    return this.waitFor(
      (m) => m.method === method && !("id" in m) && extra((m.params ?? {}) as JsonObject),
      method,
    );
  }

  /** Let trailing notifications arrive before the next step, so the recording order is stable. */
  settle(ms = 300): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async close(): Promise<number | null> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGTERM"), 10000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

const result = (m: JsonObject): JsonObject => {
  if (!("result" in m)) throw new Error(`expected a result, got ${JSON.stringify(m)}`);
  return m.result as JsonObject;
};

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

interface Env {
  readonly codex: string;
  readonly home: string;
  readonly cwd: string;
  readonly stub: Stub;
}

function open(env: Env): Session {
  const args = [
    "-c",
    "model_provider=stub",
    "-c",
    `model_providers.stub={ name = "stub", base_url = "${env.stub.baseUrl}", wire_api = "responses" }`,
    "-c",
    "model=stub-model",
  ];
  return new Session(
    env.codex,
    args,
    { ...process.env, CODEX_HOME: env.home, CODEX_API_KEY: "x", RUST_LOG: "error" },
    env.cwd,
  );
}

async function handshake(s: Session, experimental: boolean): Promise<void> {
  result(
    await s.request("initialize", {
      clientInfo: { name: "codex-fp-golden", title: null, version: "0.1.0" },
      ...(experimental ? { capabilities: { experimentalApi: true } } : {}),
    }),
  );
  s.notify("initialized");
  await s.settle();
}

/** initialize, thread/start (+ ephemeral), thread/list/read/loaded/list and a few errors. No model calls. */
async function scenarioHandshake(env: Env): Promise<Recorded[]> {
  const s = open(env);
  await handshake(s, false);
  result(await s.request("thread/list", {}, "list-1"));
  const started = result(await s.request("thread/start", { cwd: env.cwd }));
  const threadId = (started.thread as JsonObject).id as string;
  await s.waitNotification("thread/started");
  result(await s.request("thread/start", { cwd: env.cwd, ephemeral: true }));
  await s.waitNotification("thread/started");
  result(await s.request("thread/read", { threadId, includeTurns: false }));
  await s.request("thread/read", { threadId, includeTurns: true });
  result(await s.request("thread/loaded/list", {}));
  result(await s.request("thread/list", {}, "list-2"));
  // Errors: unknown thread, unknown method, invalid params.
  await s.request("thread/read", { threadId: "00000000-0000-0000-0000-000000000000" });
  await s.request("thread/bogus", {});
  await s.request("turn/start", { threadId });
  await s.settle();
  await s.close();
  return s.log;
}

/** Turns against the stub: a complete one, an interrupted one (with a steer), a failing one; then lifecycle calls. */
async function scenarioTurn(env: Env): Promise<{ log: Recorded[]; keptThreadId: string }> {
  const s = open(env);
  await handshake(s, true);
  const started = result(await s.request("thread/start", { cwd: env.cwd }));
  const threadId = (started.thread as JsonObject).id as string;
  await s.waitNotification("thread/started");

  // 1. A turn that completes.
  result(
    await s.request("turn/start", {
      threadId,
      input: [{ type: "text", text: "Say hello", text_elements: [] }],
    }),
  );
  await s.waitNotification("turn/completed");
  await s.settle();

  // 2. A turn that stalls; steer it with a second turn/start, then interrupt it.
  const t2 = result(
    await s.request("turn/start", {
      threadId,
      input: [{ type: "text", text: "hang please", text_elements: [] }],
    }),
  );
  const turnId = (t2.turn as JsonObject).id as string;
  await s.waitNotification("item/agentMessage/delta");
  await s.request("turn/steer", {
    threadId,
    expectedTurnId: turnId,
    input: [{ type: "text", text: "hang more", text_elements: [] }],
  });
  await s.settle();
  result(await s.request("turn/interrupt", { threadId, turnId }));
  await s.waitNotification("turn/completed");
  await s.settle();

  // 3. A turn the provider rejects (HTTP 400).
  result(
    await s.request("turn/start", {
      threadId,
      input: [{ type: "text", text: "fail please", text_elements: [] }],
    }),
  );
  await s.waitNotification("turn/completed");
  await s.settle();

  // 4. Lifecycle.
  result(await s.request("thread/name/set", { threadId, name: "golden thread" }));
  await s.settle();
  result(await s.request("thread/read", { threadId, includeTurns: true }));
  result(await s.request("thread/list", {}));
  const fork = result(await s.request("thread/fork", { threadId }));
  const forkId = (fork.thread as JsonObject).id as string;
  await s.settle();
  await s.request("thread/archive", { threadId: forkId });
  await s.settle();
  result(await s.request("thread/list", { archived: true }));
  await s.request("thread/unarchive", { threadId: forkId });
  await s.settle();
  await s.request("thread/unsubscribe", { threadId: forkId });
  await s.settle();
  await s.request("thread/delete", { threadId: forkId });
  await s.settle();
  await s.request("thread/read", { threadId: forkId });
  await s.request("turn/interrupt", { threadId, turnId: "no-such-turn" });
  await s.settle();
  await s.close();
  return { log: s.log, keptThreadId: threadId };
}

/** A fresh app-server over the same CODEX_HOME: list, resume the thread from scenarioTurn, run a turn. */
async function scenarioResume(env: Env, threadId: string): Promise<Recorded[]> {
  const s = open(env);
  await handshake(s, true);
  result(await s.request("thread/list", {}));
  result(await s.request("thread/read", { threadId, includeTurns: false }));
  result(await s.request("thread/resume", { threadId }));
  await s.settle();
  result(
    await s.request("turn/start", {
      threadId,
      input: [{ type: "text", text: "Say hello again", text_elements: [] }],
    }),
  );
  await s.waitNotification("turn/completed");
  await s.settle();
  await s.close();
  return s.log;
}

function argValue(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
}

async function main(args: readonly string[]): Promise<void> {
  const codex = argValue(args, "--codex") ?? codexBinaryPath();
  const version = codexVersion(codex);
  const outDir = path.resolve(
    argValue(args, "--out") ?? path.join("golden", `app-server-${version}`),
  );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "codex-golden-"));
  const home = path.join(tmp, "home");
  const cwd = path.join(tmp, "work");
  fs.mkdirSync(home);
  fs.mkdirSync(cwd);
  const stub = await startStub();
  try {
    const env: Env = { codex, home, cwd, stub };
    const files: [string, Recorded[]][] = [];
    files.push(["handshake.jsonl", await scenarioHandshake(env)]);
    const turn = await scenarioTurn(env);
    files.push(["turn.jsonl", turn.log]);
    files.push(["resume.jsonl", await scenarioResume(env, turn.keptThreadId)]);
    fs.mkdirSync(outDir, { recursive: true });
    for (const [name, log] of files) {
      fs.writeFileSync(
        path.join(outDir, name),
        log.map((r) => JSON.stringify(r)).join("\n") + "\n",
      );
      process.stdout.write(`${name}: ${log.length} lines\n`);
    }
    process.stdout.write(`stub saw: ${stub.requests.join(", ")}\n`);
  } finally {
    await stub.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
