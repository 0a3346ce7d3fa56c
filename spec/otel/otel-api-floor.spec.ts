/**
 * The whole otel spec again, against the lowest `@opentelemetry/api` the package claims (its
 * `peerDependencies` floor, installed as the `@opentelemetry/api-floor` alias): every import of
 * `@opentelemetry/api` in this file's module registry (codex-fp/otel's and the SDKs') gets it.
 *
 * One api for all, as in a real install (npm gives an app one copy). sdk-trace-base accepts the
 * floor (peer `>=1.3.0`); sdk-metrics 2.x asks for `>=1.9.0` and runs here outside its range, as
 * the in-memory reader only. A mock scoped to codex-fp's import is not possible with `jest.mock`
 * (it keys on the resolved path, which every importer shares), and two api copies in one realm
 * would share one global registry, which refuses registrations of mixed versions.
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
