/**
 * The input types a caller writes down for each options object, derived from the codecs: what
 * must compile and (with `@ts-expect-error`) what must not. Type-checked by ts-jest; the runtime
 * half checks that each shape the types accept also decodes, and that the codecs stay as strict.
 */
import { isRight } from "fp-ts/lib/Either.js";
import {
  CodexOptions,
  Redacted,
  ThreadOptions,
  TurnOptions,
  type CodexOptionsInput,
  type ThreadOptionsInput,
  type TurnInput,
  type TurnOptionsInput,
} from "../../lib/index.js";

const codex: CodexOptionsInput = {
  apiKey: "sk-test",
  baseUrl: "http://127.0.0.1:1/v1",
  config: { model_reasoning_summary: "auto", features: { web_search: true } },
  configOverrides: ["a=1"],
  env: { HOME: "/tmp" },
};
const codexRedacted: CodexOptionsInput = { apiKey: Redacted.of("sk-test") };
const thread: ThreadOptionsInput = {
  model: "gpt-5",
  sandboxMode: "read-only",
  additionalDirectories: ["/tmp"] as const,
  labels: { team: "a" },
};
const turn: TurnOptionsInput = { timeoutMs: 5_000, cyberAccessProgram: "standard" };
const prompts: readonly TurnInput[] = ["hi", [{ type: "text", text: "hi" }]];

// @ts-expect-error an API key is a string or a Redacted string
export const badKey: CodexOptionsInput = { apiKey: 123 };
// @ts-expect-error a typo is an unknown key
export const typo: ThreadOptionsInput = { modle: "x" };
// @ts-expect-error a closed union
export const badSandbox: ThreadOptionsInput = { sandboxMode: "readonly" };
// @ts-expect-error a timeout is a number
export const badTimeout: TurnOptionsInput = { timeoutMs: "5" };
// @ts-expect-error an input is a prompt or an array of user inputs
export const badInput: TurnInput = 42;

describe("the option input types", () => {
  it("describe shapes the codecs accept", () => {
    expect(isRight(CodexOptions.decode(codex))).toBe(true);
    expect(isRight(CodexOptions.decode(codexRedacted))).toBe(true);
    expect(isRight(ThreadOptions.decode(thread))).toBe(true);
    expect(isRight(TurnOptions.decode(turn))).toBe(true);
    expect(prompts).toHaveLength(2);
  });

  it("leave the codecs as strict as before at run time", () => {
    expect(isRight(CodexOptions.decode({ apiKey: 123 }))).toBe(false);
    expect(isRight(ThreadOptions.decode({ modle: "x" }))).toBe(false);
    expect(isRight(ThreadOptions.decode({ sandboxMode: "readonly" }))).toBe(false);
    expect(isRight(TurnOptions.decode({ timeoutMs: "5" }))).toBe(false);
  });
});
