/**
 * Input: what a turn is given — a string, or a list of text parts and local images — and its
 * normalization into the prompt written on stdin plus the image paths passed as `--image`.
 */
import * as t from "io-ts";
import type { InputOf } from "./options.js";
import type { Result } from "neverthrow";
import { argvProblem, checkedString, closed } from "./decoding/decode.js";
import { parseWith } from "./errors/index.js";
import type { ThreadError } from "./errors/index.js";
import type { ResolvedInputLimits } from "./limits.js";

const ImagePath = checkedString<string>(
  "path",
  (s) => argvProblem(s) ?? (s.startsWith("-") ? 'must not start with "-" (write "./-name")' : null),
);

/** Codec of one part of a structured input. */
export const UserInput = t.union([
  closed("TextInput", { type: t.literal("text"), text: t.string }, {}),
  closed("LocalImageInput", { type: t.literal("local_image"), path: ImagePath }, {}),
]);
/** One part of a structured input. */
export type UserInput = t.TypeOf<typeof UserInput>;

/** Codec of a turn's input. */
export const Input = t.union([t.string, t.array(UserInput)]);
/** A turn's input. */
export type Input = t.TypeOf<typeof Input>;
/** A turn's input as a caller writes it (a prompt, or an array of user inputs). */
export type TurnInput = InputOf<Input>;

/** The input as the CLI takes it: the prompt for stdin and the images for `--image`. */
export interface NormalizedInput {
  readonly prompt: string;
  readonly images: readonly string[];
}

/** A decoded input as the CLI takes it; text parts are joined by blank lines, as the SDK does. */
export const normalizeParts = (parts: Input): NormalizedInput =>
  typeof parts === "string"
    ? { prompt: parts, images: [] }
    : {
        prompt: parts.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n\n"),
        images: parts.flatMap((p) => (p.type === "local_image" ? [p.path] : [])),
      };

/**
 * Validates an input (under `limits`, default: the defaults) and normalizes it (see
 * `normalizeParts`).
 */
export const normalizeInput = (
  input: unknown,
  limits?: ResolvedInputLimits,
): Result<NormalizedInput, ThreadError> =>
  parseWith(Input, input, "input", "InvalidOptions", "invalid input", limits).map(normalizeParts);
