/**
 * Secrets in `config` (issue #12.3) and TOML values (issue #13.7), without a process: which
 * values are held Redacted, that no rendering or serialized thread shows them, that the
 * serialized thread lists them and takes them back, how each reaches the CLI without argv,
 * the policies for URL credentials, raw overrides, `env_key` names, JSON-escaped and short
 * keys; and the TOML round trip through a TOML parser.
 */
import { inspect } from "node:util";

import fc from "fast-check";
import { assertProperty } from "../support/property.js";
import { parse as parseToml } from "smol-toml";

import { buildExecCommand, flattenConfig, toTomlValue } from "../../lib/core/argv.js";
import type { ConfigValue } from "../../lib/core/config-value.js";
import { Redacted } from "../../lib/core/redacted.js";
import { isSecretName, secretValues } from "../../lib/core/secrets.js";
import { deserializeThread, serializeThread } from "../../lib/core/serialize.js";
import { startThread, type Thread } from "../../lib/core/thread.js";
import { redact, redactJson, redactTail } from "../../lib/shell/internal/redact.js";
import { untyped } from "../support/untyped.js";

const BEARER = "tok-Bearer-9fQ2mZ7xK4pL1vR8";
const HEADER = "hdr-Auth-3wN6yT0cB5jH2sD9";
const GITHUB = "ghp_Mcp3nv7Gh0Tk5Lq2Zx8Vb1";
const KEYS = [BEARER, HEADER, GITHUB];

/** The config of the issue: a provider's bearer token and header, an MCP server's env. */
const CONFIG = {
  model_providers: {
    p: {
      name: "p",
      base_url: "http://127.0.0.1:9/v1",
      experimental_bearer_token: BEARER,
      http_headers: { Authorization: `Bearer ${HEADER}`, "X-Client": "codex-fp" },
    },
  },
  mcp_servers: { s: { command: "mcp-server", env: { GITHUB_TOKEN: GITHUB } } },
};

const threadWith = (config: unknown = CONFIG): Thread =>
  startThread({ config: untyped(config) })._unsafeUnwrap();

/** Every form of `value` a log line, a crash report or a store could hold. */
const shown = (value: unknown): string =>
  [
    JSON.stringify(value) ?? "",
    inspect(value, { depth: Infinity }),
    inspect(value, { depth: Infinity, showHidden: true }),
    String(value),
  ].join("\n");

const expectNoKey = (value: unknown): void => {
  const text = shown(value);
  for (const k of KEYS) expect(text).not.toContain(k);
};

const at = (u: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], u);

describe("secrets in config: held Redacted", () => {
  it("boxes the issue's three paths, and only secrets", () => {
    const c = threadWith().codexOptions.config;
    const p = at(c, "model_providers", "p");
    expect(Redacted.is(at(p, "experimental_bearer_token"))).toBe(true);
    expect(Redacted.is(at(p, "http_headers", "Authorization"))).toBe(true);
    expect(Redacted.is(at(p, "http_headers", "X-Client"))).toBe(true); // every header value
    expect(Redacted.is(at(c, "mcp_servers", "s", "env", "GITHUB_TOKEN"))).toBe(true);
    expect(at(p, "base_url")).toBe("http://127.0.0.1:9/v1");
    expect(at(c, "mcp_servers", "s", "command")).toBe("mcp-server");
    expect((at(p, "experimental_bearer_token") as Redacted<string>).reveal()).toBe(BEARER);
  });

  it("says which key names hold secrets, and which only name them", () => {
    for (const n of [
      "api_key",
      "apiKey",
      "GITHUB_TOKEN",
      "client_secret",
      "password",
      "Authorization",
    ])
      expect([n, isSecretName(n)]).toEqual([n, true]);
    for (const n of [
      "env_key",
      "bearer_token_env_var",
      "model_auto_compact_token_limit",
      "cli_auth_credentials_store",
      "env_key_instructions",
      "model",
      "base_url",
    ])
      expect([n, isSecretName(n)]).toEqual([n, false]);
  });

  it("never shows them: JSON, inspect, template strings, the serialized thread", () => {
    const thread = threadWith();
    expectNoKey(thread);
    expectNoKey(serializeThread(thread)._unsafeUnwrap());
    expect(
      `${String(at(thread.codexOptions.config, "mcp_servers", "s", "env", "GITHUB_TOKEN"))}`,
    ).toBe("[redacted]");
  });

  it("lists what it left out, and refuses to read back without it (MissingSecrets)", () => {
    const thread = threadWith();
    const json = serializeThread(thread)._unsafeUnwrap();
    const paths = [
      "codexOptions.config.mcp_servers.s.env.GITHUB_TOKEN",
      "codexOptions.config.model_providers.p.experimental_bearer_token",
      "codexOptions.config.model_providers.p.http_headers.Authorization",
      "codexOptions.config.model_providers.p.http_headers.X-Client",
    ];
    expect((JSON.parse(json) as { secrets: unknown }).secrets).toEqual(paths);
    const missing = deserializeThread(json)._unsafeUnwrapErr();
    expect(missing).toMatchObject({ _tag: "MissingSecrets", path: "secrets", paths });
    const partial = deserializeThread(json, {
      config: { model_providers: { p: { experimental_bearer_token: BEARER } } },
    })._unsafeUnwrapErr();
    expect(partial).toMatchObject({
      _tag: "MissingSecrets",
      paths: [paths[0], paths[2], paths[3]],
    });
    expectNoKey(partial);
  });

  it("takes them back (plain or Redacted) to an equal thread", () => {
    const thread = threadWith();
    const json = serializeThread(thread)._unsafeUnwrap();
    const back = deserializeThread(json, {
      config: {
        model_providers: {
          p: {
            experimental_bearer_token: Redacted.of(BEARER),
            http_headers: { Authorization: `Bearer ${HEADER}`, "X-Client": "codex-fp" },
          },
        },
        mcp_servers: { s: { env: { GITHUB_TOKEN: GITHUB } } },
      },
    })._unsafeUnwrap();
    expect(serializeThread(back)._unsafeUnwrap()).toBe(json);
    const c = back.codexOptions.config;
    expect((at(c, "mcp_servers", "s", "env", "GITHUB_TOKEN") as Redacted<string>).reveal()).toBe(
      GITHUB,
    );
    expect(buildExecCommand(commandOf(back))).toEqual(buildExecCommand(commandOf(thread)));
  });

  it("takes a secret the user marked (Redacted) at a path the CLI reads from its env", () => {
    const t = threadWith({
      mcp_servers: { s: { command: "x", env: { PORT: Redacted.of(8080) } } },
    });
    expect(serializeThread(t)._unsafeUnwrap()).not.toContain("8080");
    expect(buildExecCommand(commandOf(t)).env["PORT"]).toBe("8080");
  });

  it("refuses a secret that could reach the CLI only on its command line, naming the path", () => {
    for (const config of [
      { shell_environment_policy: { set: { GITHUB_TOKEN: GITHUB } } },
      { model_providers: { p: { query_params: { api_key: GITHUB } } } },
      { notify: [Redacted.of(GITHUB)] },
      { mcp_servers: { s: { command: "x", env: { OPENAI_API_KEY: GITHUB } } } },
    ]) {
      const e = startThread({ config: untyped(config) })._unsafeUnwrapErr();
      expect(e).toMatchObject({ _tag: "InvalidOptions" });
      expect(e.path).toMatch(/^codexOptions\.config\./);
      expectNoKey(e);
    }
  });
});

const commandOf = (thread: Thread) => ({
  codexOptions: thread.codexOptions,
  threadOptions: thread.threadOptions,
  threadId: null,
  input: { prompt: "hi", images: [] },
  turnOptions: {},
  outputSchemaFile: null,
  processEnv: {},
  pathDirs: [],
});

describe("secrets in config: never on the command line", () => {
  it("routes each secret through the CLI's environment-based keys", () => {
    const { args, env } = buildExecCommand(commandOf(threadWith()));
    for (const k of KEYS) expect(args.join(" ")).not.toContain(k);
    expect(args).toEqual(
      expect.arrayContaining([
        'model_providers.p.env_key="CODEX_FP_SECRET_1"',
        'model_providers.p.env_http_headers.Authorization="CODEX_FP_SECRET_2"',
        'model_providers.p.env_http_headers.X-Client="CODEX_FP_SECRET_3"',
        'mcp_servers.s.env_vars=["GITHUB_TOKEN"]',
        'mcp_servers.s.command="mcp-server"',
      ]),
    );
    expect(env).toMatchObject({
      CODEX_FP_SECRET_1: BEARER,
      CODEX_FP_SECRET_2: `Bearer ${HEADER}`,
      CODEX_FP_SECRET_3: "codex-fp",
      GITHUB_TOKEN: GITHUB,
    });
  });

  it("turns an MCP server's bearer_token into bearer_token_env_var, and keeps env_vars given", () => {
    const t = threadWith({
      mcp_servers: { h: { url: "http://127.0.0.1:9/mcp", bearer_token: BEARER, env_vars: ["A"] } },
      mcp: undefined,
    });
    const { args, env } = buildExecCommand(commandOf(t));
    expect(args).toContain('mcp_servers.h.bearer_token_env_var="CODEX_FP_SECRET_1"');
    expect(env["CODEX_FP_SECRET_1"]).toBe(BEARER);
  });

  it("refuses raw overrides that hold a secret (they go on the command line as they are)", () => {
    for (const o of [
      `model_providers.p.http_headers.Authorization="Bearer ${HEADER}"`,
      `mcp_servers.s.env.GITHUB_TOKEN="${GITHUB}"`,
      `model_providers.p.base_url="http://u:${BEARER}@h/v1"`,
    ]) {
      const e = startThread({ configOverrides: [o] })._unsafeUnwrapErr();
      expect(e).toMatchObject({ _tag: "InvalidOptions", path: "codexOptions.configOverrides[0]" });
      expectNoKey(e);
    }
  });
});

describe("secrets: the other ways keys escaped", () => {
  it("URL credentials: refused in baseUrl and in any config URL, the key not echoed", () => {
    const e1 = startThread({ baseUrl: `http://user:${BEARER}@127.0.0.1:9/v1` })._unsafeUnwrapErr();
    expect(e1).toMatchObject({ _tag: "InvalidOptions", path: "codexOptions.baseUrl" });
    const e2 = startThread({
      config: { model_providers: { p: { base_url: `https://${BEARER}@h.example/v1` } } },
    })._unsafeUnwrapErr();
    expect(e2).toMatchObject({
      _tag: "InvalidOptions",
      path: "codexOptions.config.model_providers.p.base_url",
    });
    expectNoKey([e1, e2]);
  });

  it("an env var a provider's env_key names is a secret, whatever its name", () => {
    const config = { model_providers: { p: { env_key: "LLM_CREDENTIAL", name: "p" } } };
    const t = threadWith(config);
    const env = { LLM_CREDENTIAL: "llm-Cr3d-value", OTHER: "plain-value" };
    const values = secretValues(undefined, t.codexOptions.config, env);
    expect(values).toContain("llm-Cr3d-value");
    expect(values).not.toContain("plain-value");
    expect(redact("auth failed for llm-Cr3d-value", values)).toBe("auth failed for [redacted]");
  });

  it('a key with " or \\ is redacted raw, JSON-escaped and percent-encoded', () => {
    const key = 'sk-odd\\key"quoted!';
    const escaped = JSON.stringify(key).slice(1, -1);
    const text = `raw ${key} json ${escaped} url ${encodeURIComponent(key)} debug "${escaped}"`;
    expect(redact(text, [key])).toBe(
      'raw [redacted] json [redacted] url [redacted] debug "[redacted]"',
    );
    const nested = { message: `{"error":{"message":"bad key ${escaped}"}}` };
    expect(JSON.stringify(redactJson(nested, [key]))).not.toContain(escaped);
  });

  it("a 3-character key is redacted where it stands alone, and words holding it are kept", () => {
    expect(redact("Incorrect API key provided: k3y. (k3y)", ["k3y"])).toBe(
      "Incorrect API key provided: [redacted]. ([redacted])",
    );
    expect(redact("k3yboard ak3y", ["k3y"])).toBe("k3yboard ak3y");
    expect(redactTail("x k3y", ["k3y"], 100, false)).toBe("x [redacted]");
    // keys of JSON objects are structure: a short secret is not searched there
    expect(redactJson({ k3y: "k3y" }, ["k3y"])).toEqual({ k3y: "[redacted]" });
  });

  it("random keys, in any form, never survive redaction", () => {
    // (a key shorter than 4 with no letter or digit is not searched: docs/secrets.md)
    const key = fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 24 })
      .filter((k) => k.length >= 4 || /[\p{L}\p{N}]/u.test(k));
    assertProperty(
      fc.property(key, fc.string(), fc.string(), (k, before, after) => {
        const text = `${before} ${k} ${after}`;
        const out = redact(text, [k]);
        // the key itself, standing alone between spaces, is gone
        expect(out).toContain(" [redacted] ");
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// TOML (issue #13.7)
// ---------------------------------------------------------------------------------------------

/** Strings with every kind of character but lone surrogates (control characters included). */
const tomlText = fc
  .string({ unit: "binary", maxLength: 40 })
  .filter((s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s));

const tomlScalar = fc.oneof(
  tomlText,
  fc.integer(),
  fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
);
const tomlValue = fc.letrec<{ value: ConfigValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    tomlScalar,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(
      tomlText.filter(
        (k) => k.length > 0 && !isSecretName(k) && k !== "env" && k !== "http_headers",
      ),
      tie("value"),
      { maxKeys: 3 },
    ),
  ),
})).value;

/** A TOML literal read back (integers beyond 2^53, which the CLI reads as i64, as numbers). */
const readToml = (literal: string): unknown => {
  const toNumbers = (u: unknown): unknown =>
    typeof u === "bigint"
      ? Number(u)
      : Array.isArray(u)
        ? u.map(toNumbers)
        : typeof u === "object" && u !== null
          ? Object.fromEntries(Object.entries(u).map(([k, v]) => [k, toNumbers(v)]))
          : u;
  return toNumbers(parseToml(`x = ${literal}`, { integersAsBigInt: "asNeeded" })["x"]);
};

describe("TOML values the CLI reads back", () => {
  it("escapes U+007F and every control character", () => {
    expect(flattenConfig({ x: "a\x7fb" })._unsafeUnwrap()).toEqual(['x="a\\u007fb"']);
    expect(toTomlValue('\u0000\u0008\t\n\u000c\r\u001f"\\')._unsafeUnwrap()).toBe(
      '"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\"',
    );
  });

  it("refuses a lone surrogate with a typed error at its path", () => {
    expect(flattenConfig({ a: { b: "x\uD800y" } })._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
      path: "config.a.b",
    });
    expect(toTomlValue("\uDC00")._unsafeUnwrapErr()).toMatchObject({ _tag: "InvalidOptions" });
    expect(toTomlValue([{ "k\uD800": 1 }])._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
    });
    expect(startThread({ config: { k: ["\uDFFF"] } })._unsafeUnwrapErr()).toMatchObject({
      _tag: "InvalidOptions",
      path: "codexOptions.config.k[0]",
    });
  });

  it("round-trips every value through a TOML parser", () => {
    assertProperty(
      fc.property(tomlValue, (v) => {
        const literal = toTomlValue(v)._unsafeUnwrap();
        expect(readToml(literal)).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips every override through a TOML parser", () => {
    const bare = fc.stringMatching(/^[a-z]{1,6}$/).filter((k) => !isSecretName(k) && k !== "env");
    const leafOrArray = fc.oneof(tomlScalar, fc.array(tomlValue, { maxLength: 3 }));
    assertProperty(
      fc.property(fc.dictionary(bare, fc.dictionary(bare, leafOrArray)), (config) => {
        for (const line of flattenConfig(config)._unsafeUnwrap()) {
          const eq = line.indexOf("=");
          const [k1, k2] = line.slice(0, eq).split(".") as [string, string];
          const expected = k2 === undefined ? config[k1] : config[k1]?.[k2];
          expect(readToml(line.slice(eq + 1))).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
