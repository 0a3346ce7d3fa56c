import * as fs from "node:fs";
import * as path from "node:path";
import { isRight } from "fp-ts/Either";
import * as t from "io-ts";
import { PathReporter } from "io-ts/PathReporter";
import * as ts from "typescript";
import * as G from "../../lib/generated/app-server/index.js";
import { ResponseCodecs } from "../../lib/shell/app-server/protocol.js";
import {
  generateFromBundles,
  generateFromSchemas,
  OUTPUT_DIR,
  readOutputDir,
  schemasFromCodex,
  type CodexSchemas,
  type SchemaObject,
} from "../../scripts/codegen-lib.js";

const ROOT = process.cwd();
const GOLDEN_DIR = path.join(ROOT, "golden", `app-server-${G.CODEX_CLI_VERSION}`);
/** Running the CLI twice and formatting thousands of lines is slow on a loaded machine. */
const SLOW = 300_000;

/** The pinned CLI's schemas, read once for every test of this file. */
let schemas: CodexSchemas;
/** Codecs of every definition of the schemas (not only the library's), loaded. */
let F: Record<string, unknown>;
beforeAll(async () => {
  schemas = schemasFromCodex();
  F = loadGenerated(await generateFromSchemas(schemas, "all"), "index.ts");
}, SLOW);

describe("generated app-server codecs", () => {
  it(
    "are up to date with the pinned codex CLI's generate-json-schema output",
    async () => {
      const fresh = await generateFromSchemas(schemas);
      const committed = readOutputDir(path.join(ROOT, OUTPUT_DIR));
      expect([...committed.keys()]).toEqual([...fresh.keys()]);
      for (const [file, text] of fresh) {
        // Compare per file so a failure names the stale module; run `npm run codegen` to fix.
        expect({ file, upToDate: committed.get(file) === text }).toEqual({ file, upToDate: true });
      }
    },
    SLOW,
  );

  it("record the CLI version they came from", () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(ROOT, "node_modules/@openai/codex/package.json"), "utf8"),
    ) as { version: string };
    expect(G.CODEX_CLI_VERSION).toBe(pkg.version);
    expect(G.SCHEMA_FLAGS).toEqual(["--experimental"]);
  });

  it("cover the lifecycle methods and turn notifications a transport needs", () => {
    for (const m of [
      "initialize",
      "thread/start",
      "thread/resume",
      "thread/fork",
      "thread/archive",
      "thread/unarchive",
      "thread/delete",
      "thread/list",
      "thread/read",
      "thread/name/set",
      "turn/start",
      "turn/steer",
      "turn/interrupt",
    ]) {
      expect(F.ClientRequestParams).toHaveProperty([m]);
      expect(G.EXPERIMENTAL_CLIENT_REQUEST_METHODS).not.toContain(m);
    }
    for (const m of [
      "turn/started",
      "turn/completed",
      "item/started",
      "item/completed",
      "item/agentMessage/delta",
      "thread/tokenUsage/updated",
      "thread/status/changed",
      "error",
    ]) {
      expect(F.ServerNotificationParams).toHaveProperty([m]);
    }
  });

  it("hold codecs only for what the library decodes, types for the rest it uses", () => {
    const committed = G as Record<string, unknown>;
    // Decoded: the JSON-RPC envelopes, the responses, the notifications the library acts on.
    for (const name of ["JSONRPCResponse", "ThreadStartResponse", "ThreadItem", "Thread"])
      expect(committed[name]).toBeDefined();
    // Built or read only (types): no codec at run time.
    for (const name of ["ThreadStartParams", "TurnStartParams", "ApplyPatchApprovalResponse"])
      expect(committed[name]).toBeUndefined();
    // Not used at all: not emitted.
    for (const name of ["ClientRequest", "ServerNotification", "ConfigReadResponse"]) {
      expect(F[name]).toBeDefined();
      expect(committed[name]).toBeUndefined();
    }
    expect(Object.keys(G.ServerNotificationParams).sort()).toEqual(
      [
        "error",
        "warning",
        "thread/started",
        "thread/status/changed",
        "thread/closed",
        "thread/deleted",
        "thread/archived",
        "thread/tokenUsage/updated",
        "turn/started",
        "turn/completed",
        "turn/plan/updated",
        "item/started",
        "item/completed",
      ].sort(),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Golden recordings of the real CLI (scripts/record-app-server-golden.ts)
// ---------------------------------------------------------------------------------------------

interface Recorded {
  readonly from: "client" | "server";
  readonly line: string;
}

type Msg = { readonly [key: string]: unknown };

/** Result codec per request method, for the methods the recordings use. */
const RESPONSES: { readonly [method: string]: string } = {
  initialize: "InitializeResponse",
  "thread/start": "ThreadStartResponse",
  "thread/resume": "ThreadResumeResponse",
  "thread/fork": "ThreadForkResponse",
  "thread/archive": "ThreadArchiveResponse",
  "thread/unarchive": "ThreadUnarchiveResponse",
  "thread/unsubscribe": "ThreadUnsubscribeResponse",
  "thread/delete": "ThreadDeleteResponse",
  "thread/list": "ThreadListResponse",
  "thread/loaded/list": "ThreadLoadedListResponse",
  "thread/read": "ThreadReadResponse",
  "thread/name/set": "ThreadSetNameResponse",
  "turn/start": "TurnStartResponse",
  "turn/steer": "TurnSteerResponse",
  "turn/interrupt": "TurnInterruptResponse",
};

/** The codec `name` of every definition (F). */
const full = (name: string): t.Mixed => {
  const c = F[name];
  if (c === undefined) throw new Error(`no generated codec ${name}`);
  return c as t.Mixed;
};

function decodeOk(codec: t.Mixed, value: unknown, what: string): void {
  const r = codec.decode(value);
  if (!isRight(r)) {
    throw new Error(`${what} failed to decode:\n${PathReporter.report(r).slice(0, 5).join("\n")}`);
  }
}

function readRecording(file: string): Recorded[] {
  return fs
    .readFileSync(path.join(GOLDEN_DIR, file), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Recorded);
}

describe.each(["handshake.jsonl", "turn.jsonl", "resume.jsonl"])("golden %s", (file) => {
  const records = readRecording(file);
  const messages = records.map((r) => ({ ...r, msg: JSON.parse(r.line) as Msg }));
  /** request id -> method, and ids the server rejected as malformed requests. */
  const methodById = new Map<unknown, string>();
  const rejected = new Set<unknown>();
  for (const { from, msg } of messages) {
    if (from === "client" && "id" in msg && typeof msg.method === "string")
      methodById.set(msg.id, msg.method);
    if (from === "server" && "error" in msg) {
      const err = msg.error as { message?: unknown };
      if (typeof err.message === "string" && err.message.startsWith("Invalid request"))
        rejected.add(msg.id);
    }
  }

  it("is a non-empty recording of both directions", () => {
    expect(records.length).toBeGreaterThan(5);
    expect(new Set(records.map((r) => r.from))).toEqual(new Set(["client", "server"]));
  });

  it("decodes every line as a JSON-RPC message", () => {
    messages.forEach(({ msg }, i) => decodeOk(full("JSONRPCMessage"), msg, `${file}:${i + 1}`));
  });

  it("decodes client messages as ClientRequest / ClientNotification (and rejects what the server rejected)", () => {
    messages.forEach(({ from, msg }, i) => {
      if (from !== "client") return;
      const where = `${file}:${i + 1} ${String(msg.method)}`;
      if ("id" in msg) {
        if (rejected.has(msg.id)) expect(isRight(full("ClientRequest").decode(msg))).toBe(false);
        else decodeOk(full("ClientRequest"), msg, where);
      } else {
        decodeOk(full("ClientNotification"), msg, where);
      }
    });
  });

  it("decodes server notifications as ServerNotification and by method", () => {
    let n = 0;
    messages.forEach(({ from, msg }, i) => {
      if (from !== "server" || "id" in msg) return;
      const where = `${file}:${i + 1} ${String(msg.method)}`;
      decodeOk(full("ServerNotification"), msg, where);
      const byMethod = (F.ServerNotificationParams as { readonly [m: string]: t.Mixed })[
        String(msg.method)
      ];
      expect(byMethod).toBeDefined();
      decodeOk(byMethod as t.Mixed, msg.params, `${where} params`);
      // The committed (library) table decodes the notifications it holds.
      const committed = (G.ServerNotificationParams as { readonly [m: string]: t.Mixed })[
        String(msg.method)
      ];
      if (committed !== undefined) decodeOk(committed, msg.params, `${where} params (committed)`);
      n++;
    });
    expect(n).toBeGreaterThan(0);
  });

  it("decodes every response with its method's response codec", () => {
    messages.forEach(({ from, msg }, i) => {
      if (from !== "server" || !("id" in msg) || "method" in msg) return;
      const method = methodById.get(msg.id);
      const where = `${file}:${i + 1} response to ${String(method)}`;
      if ("error" in msg) {
        decodeOk(full("JSONRPCError"), msg, where);
        return;
      }
      decodeOk(full("JSONRPCResponse"), msg, where);
      const codec = method === undefined ? undefined : RESPONSES[method];
      if (codec === undefined) throw new Error(`${where}: add its response codec to RESPONSES`);
      decodeOk(full(codec), msg.result, where);
      // The committed (library) codecs decode the responses to what the library sends.
      if (method !== undefined && method in ResponseCodecs)
        decodeOk(
          ResponseCodecs[method as keyof typeof ResponseCodecs],
          msg.result,
          `${where} (committed)`,
        );
    });
  });
});

describe("golden turn.jsonl", () => {
  it("streams a turn in the documented order", () => {
    const methods = readRecording("turn.jsonl")
      .map((r) => JSON.parse(r.line) as Msg)
      .filter((m) => !("id" in m))
      .map((m) => m.method);
    const first = methods.indexOf("turn/started");
    const done = methods.indexOf("turn/completed");
    expect(first).toBeGreaterThan(-1);
    expect(methods.slice(first, done + 1)).toEqual([
      "turn/started",
      "item/started", // userMessage
      "item/completed",
      "item/started", // agentMessage
      "item/agentMessage/delta",
      "item/agentMessage/delta",
      "item/completed",
      "thread/tokenUsage/updated",
      "account/rateLimits/updated",
      "thread/readState/changed",
      "thread/status/changed",
      "turn/completed",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Generator features the current CLI schemas do not exercise (recursion, nested namespaces)
// ---------------------------------------------------------------------------------------------

/** Transpile generated modules to CommonJS and load them, resolving "./x.js" among themselves. */
function loadGenerated(files: ReadonlyMap<string, string>, entry: string): Record<string, unknown> {
  const cache = new Map<string, Record<string, unknown>>();
  const load = (file: string): Record<string, unknown> => {
    const hit = cache.get(file);
    if (hit) return hit;
    const source = files.get(file);
    if (source === undefined) throw new Error(`no generated file ${file}`);
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const exports: Record<string, unknown> = {};
    cache.set(file, exports);
    const req = (spec: string): unknown =>
      spec === "io-ts" ? t : load(spec.replace(/^\.\//, "").replace(/\.js$/, ".ts"));
    new Function("require", "exports", js)(req, exports);
    return exports;
  };
  return load(entry);
}

describe("codegen on a synthetic schema", () => {
  const bundle: SchemaObject = {
    definitions: {
      Envelope: {
        oneOf: [
          {
            type: "object",
            properties: { method: { enum: ["tree"] }, params: { $ref: "#/definitions/v2/Tree" } },
            required: ["method", "params"],
          },
          {
            type: "object",
            properties: { method: { enum: ["expr"] }, params: { $ref: "#/definitions/v2/Expr" } },
            required: ["method"],
          },
        ],
      },
      Ping: { type: "object", properties: { data: true }, required: ["data"] },
      v2: {
        Tree: {
          type: "object",
          properties: {
            label: { type: ["string", "null"] },
            children: { type: "array", items: { $ref: "#/definitions/v2/Tree" } },
            size: { type: "integer", format: "int64" },
          },
          required: ["children"],
        },
        Expr: {
          oneOf: [
            {
              type: "object",
              properties: { type: { enum: ["num"] }, value: { type: "number" } },
              required: ["type", "value"],
            },
            {
              type: "object",
              properties: { type: { enum: ["neg"] }, arg: { $ref: "#/definitions/v2/Neg" } },
              required: ["type", "arg"],
            },
          ],
        },
        Neg: { allOf: [{ $ref: "#/definitions/v2/Expr" }] },
        Color: {
          anyOf: [
            { type: "string", enum: ["red"] },
            { type: "string", enum: ["green", "blue"] },
          ],
        },
        Scores: { type: "object", additionalProperties: { type: "number" } },
      },
    },
  };
  let files: Map<string, string>;
  beforeAll(async () => {
    files = await generateFromBundles({ bundle, cliVersion: "9.9.9" });
  }, SLOW);

  it("emits t.recursion with explicit types for (mutually) recursive definitions only", () => {
    const v2 = files.get("v2.ts") ?? "";
    expect(v2).toContain(`export const Tree: t.Type<Tree> = t.recursion("Tree"`);
    expect(v2).toContain(`export const Expr: t.Type<Expr> = t.recursion("Expr"`);
    expect(v2).toContain(`export const Neg: t.Type<Neg> = t.recursion("Neg"`);
    expect(v2).toContain(`export type Color = "red" | "green" | "blue";`);
    expect(v2).toContain(`export const Color: t.Type<Color> =`);
    expect(v2).toContain(`t.keyof({ red: null, green: null, blue: null }, "Color")`);
    expect(files.get("protocol.ts")).toContain(`import * as V2 from "./v2.js";`);
    expect([...files.keys()]).toEqual([
      "index.ts",
      "methods.ts",
      "protocol.ts",
      "v2.ts",
      "version.ts",
    ]);
  });

  it("produces modules that load and decode (recursion, open objects, tagged unions, required unknown)", () => {
    const g = loadGenerated(files, "index.ts") as Record<string, t.Mixed>;
    const Tree = g.Tree as t.Mixed;
    const tree = { children: [{ children: [], label: null, extra: 1 }], size: 3 };
    expect(isRight(Tree.decode(tree))).toBe(true);
    expect(isRight(Tree.decode({ children: [{ label: "no children" }] }))).toBe(false);
    const Envelope = g.Envelope as t.Mixed;
    expect(
      isRight(
        Envelope.decode({
          method: "expr",
          params: { type: "neg", arg: { type: "num", value: 1 } },
        }),
      ),
    ).toBe(true);
    expect(isRight(Envelope.decode({ method: "expr" }))).toBe(true);
    expect(
      isRight(Envelope.decode({ method: "expr", params: { type: "neg", arg: { type: "num" } } })),
    ).toBe(false);
    expect(isRight(Envelope.decode({ method: "nope", params: {} }))).toBe(false);
    const Ping = g.Ping as t.Mixed;
    expect(isRight(Ping.decode({ data: null }))).toBe(true);
    expect(isRight(Ping.decode({}))).toBe(false);
    expect(isRight((g.Scores as t.Mixed).decode({ a: 1, b: 2 }))).toBe(true);
    expect(isRight((g.Color as t.Mixed).decode("blue"))).toBe(true);
    const params = g.ServerNotificationParams;
    expect(params).toBeUndefined(); // no ServerNotification union in this bundle
    expect(g.CODEX_CLI_VERSION).toBe("9.9.9");
  });

  it("is deterministic", async () => {
    expect(await generateFromBundles({ bundle, cliVersion: "9.9.9" })).toEqual(files);
  });

  it("emits codecs for the selected definitions, types for the typed ones, nothing else", async () => {
    const picked = await generateFromBundles({
      bundle,
      cliVersion: "9.9.9",
      selection: {
        codecs: ["v2/Neg"],
        types: ["v2/Scores"],
        decodedParams: {},
        typedParams: {},
      },
    });
    const v2 = picked.get("v2.ts") ?? "";
    expect(v2).toContain("export const Neg: t.Type<Neg>");
    expect(v2).toContain("export const Expr: t.Type<Expr>"); // Neg refers to Expr
    expect(v2).toMatch(/export (interface|type) Scores\b/);
    expect(v2).not.toContain("export const Scores");
    expect(v2).not.toContain("Tree");
    expect(v2).not.toContain("Color");
    const g = loadGenerated(picked, "index.ts") as Record<string, t.Mixed>;
    expect(isRight((g.Neg as t.Mixed).decode({ type: "num", value: 1 }))).toBe(true);
    expect(isRight((g.Neg as t.Mixed).decode({ type: "num" }))).toBe(false);
  });

  it("fails loudly on schema constructs it does not understand", async () => {
    const bad: SchemaObject = {
      definitions: { X: { type: "object", patternProperties: { "^a": true } } },
    };
    await expect(generateFromBundles({ bundle: bad, cliVersion: "0" })).rejects.toThrow(
      /patternProperties/,
    );
  });
});
