/**
 * ConfigObject: the nested `config` option, validated up front so that flattening it into
 * `--config key=value` overrides cannot fail.
 */
import { isSecretName } from "../../lib/core/secrets.js";
import { isRight } from "fp-ts/lib/Either.js";
import fc from "fast-check";
import { assertProperty } from "../support/property.js";

import { ConfigObject } from "../../lib/codecs/index.js";
import { decodeAll } from "../../lib/core/decoding/decode.js";
import { TOML_BARE_KEY } from "../../lib/core/config-value.js";

const issues = (u: unknown) => {
  const r = decodeAll(ConfigObject, u, "config");
  return r._tag === "Left" ? r.left : [];
};

describe("ConfigObject", () => {
  it("accepts strings, finite numbers, booleans, arrays and nested objects", () => {
    const config = {
      model: "gpt-5",
      model_context_window: 200000,
      temperature: 0.2,
      hide_agent_reasoning: true,
      notify: ["notify-send", "codex"],
      sandbox_workspace_write: { network_access: true, writable_roots: ["/tmp"] },
      mcp_servers: {
        docs: {
          command: "docs-mcp",
          args: ["--port", 3000],
          env: { DOCS_TOKEN_FILE: "/run/docs" },
        },
      },
    };
    expect(issues(config)).toEqual([]);
    expect(ConfigObject.is(config)).toBe(true);
  });

  it("accepts any object of TOML values with bare keys", () => {
    // (keys that make a value secret are tested in spec/core/secrets.spec.ts)
    const key = fc
      .stringMatching(/^[A-Za-z0-9_-]{1,8}$/)
      .filter((k) => !isSecretName(k) && k !== "env" && k !== "http_headers");
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.array(tie("v"), { maxLength: 3 }),
        fc.dictionary(key, tie("v"), { maxKeys: 3 }),
      ),
    })).v;
    assertProperty(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (config) => {
        expect(issues(config)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("skips entries set to undefined, as the official SDK does", () => {
    expect(issues({ model: undefined, a: { b: undefined } })).toEqual([]);
  });

  it("rejects a key on a --config path that is not a TOML bare key", () => {
    expect(TOML_BARE_KEY.test("model_provider")).toBe(true);
    expect(issues({ "model.name": "x", "with space": 1, "": 2 })).toEqual([
      {
        path: "config.model.name",
        message: "a key on a --config path may hold only letters, digits, _ and -",
      },
      {
        path: "config.with space",
        message: "a key on a --config path may hold only letters, digits, _ and -",
      },
      { path: "config.", message: "keys must not be empty" },
    ]);
  });

  it("allows any non-empty key inside an array (an inline table quotes its keys)", () => {
    expect(issues({ servers: [{ "a.b c": 1 }] })).toEqual([]);
  });

  it("rejects values TOML cannot hold, each with its path", () => {
    expect(
      issues({
        a: null,
        b: Number.NaN,
        c: Infinity,
        d: [1, undefined],
        e: { f: 1n },
        g: () => 1,
        h: new Date(0),
        i: new Map(),
      }),
    ).toEqual([
      {
        path: "config.a",
        message: "expected a string, number, boolean, array or object, got null",
      },
      { path: "config.b", message: "must be a finite number" },
      { path: "config.c", message: "must be a finite number" },
      {
        path: "config.d[1]",
        message: "expected a string, number, boolean, array or object, got nothing",
      },
      {
        path: "config.e.f",
        message: "expected a string, number, boolean, array or object, got a bigint",
      },
      {
        path: "config.g",
        message: "expected a string, number, boolean, array or object, got a function",
      },
      { path: "config.h", message: "expected a plain object, not a class instance" },
      { path: "config.i", message: "expected a plain object, not a class instance" },
    ]);
  });

  it("rejects a root that is not an object", () => {
    for (const bad of [null, [], "x", 1])
      expect(issues(bad)).toEqual([
        { path: "config", message: expect.stringMatching(/^expected an object, got /) },
      ]);
  });

  it("rejects a config that contains itself", () => {
    const config: Record<string, unknown> = { a: {} };
    (config["a"] as Record<string, unknown>)["back"] = config;
    expect(issues(config)).toEqual([
      { path: "config.a.back", message: "must not contain a cycle" },
    ]);
  });

  it("never throws on values that are not hostile", () => {
    assertProperty(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withDate: true }), (u) => {
        ConfigObject.decode(u);
        expect(isRight(ConfigObject.decode(u))).toBe(ConfigObject.is(u));
      }),
      { numRuns: 300 },
    );
  });
});
