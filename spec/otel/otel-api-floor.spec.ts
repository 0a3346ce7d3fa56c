/**
 * The whole otel spec again, against the lowest `@opentelemetry/api` the package claims (its
 * `peerDependencies` floor, installed as the `@opentelemetry/api-floor` alias): every import of
 * `@opentelemetry/api` in this file's module registry (codex-fp/otel's and the SDKs') gets it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as api from "@opentelemetry/api";
import "./otel.spec.js";

jest.mock("@opentelemetry/api", () => jest.requireActual("@opentelemetry/api-floor"));

const pkg = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(process.cwd(), file), "utf8")) as Record<string, unknown>;

describe("@opentelemetry/api at the peer floor", () => {
  it("is what this file runs against, and is the lowest version the package claims", () => {
    const peers = pkg("package.json").peerDependencies as Record<string, string>;
    const floor = /^\^(\d+\.\d+\.\d+)$/.exec(peers["@opentelemetry/api"] ?? "")?.[1];
    expect(pkg("node_modules/@opentelemetry/api-floor/package.json").version).toBe(floor);
    expect(api).toBe(jest.requireActual("@opentelemetry/api-floor"));
    expect(api).not.toBe(jest.requireActual("@opentelemetry/api"));
  });
});
