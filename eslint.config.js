// @ts-check
import tseslint from "typescript-eslint";

/** core/internal/ is core's own: nothing outside lib/core may import it. */
const CORE_INTERNAL = {
  group: ["**/core/internal/**"],
  message: "core/internal/ is private to core/: use core/decoding/ or a public module.",
};
/** shell/internal/ is the shell's own (its specs may test it). */
const SHELL_INTERNAL = {
  group: ["**/shell/internal/**"],
  message: "shell/internal/ is private to shell/.",
};
/** The rule that keeps those folders private (one object: a later rule setting replaces it). */
const privateFolders = (/** @type {object[]} */ patterns) => ({
  rules: { "no-restricted-imports": ["error", { patterns }] },
});

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "docs/api/**", "golden/**", ".tmp/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["lib/**/*.ts"],
    rules: {
      "no-console": "error",
    },
  },
  {
    // Errors are built by their constructors (lib/core/errors/, the fleet's lib/fleet/errors.ts),
    // never as inline `{ _tag: "…" }` literals elsewhere in lib/.
    files: ["lib/**/*.ts"],
    ignores: ["lib/core/errors/**", "lib/fleet/errors.ts", "lib/generated/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "Property:matches([key.name='_tag'], [key.value='_tag'])[value.type=/^(Literal|TemplateLiteral|ConditionalExpression)$/]",
          message:
            "build errors with their constructor (lib/core/errors/, lib/fleet/errors.ts), not an inline { _tag } literal.",
        },
      ],
    },
  },
  // A folder's `internal/` is private to the folder that owns it. What the shell and the fleet
  // share with the core (decoding, input snapshots and their bounds) lives in `core/decoding/`.
  { files: ["**/*.ts"], ignores: ["lib/**"], ...privateFolders([CORE_INTERNAL]) },
  {
    files: ["lib/**/*.ts"],
    ignores: ["lib/core/**", "lib/shell/**"],
    ...privateFolders([CORE_INTERNAL, SHELL_INTERNAL]),
  },
  { files: ["lib/shell/**/*.ts"], ...privateFolders([CORE_INTERNAL]) },
  {
    // Every property counts the cases it checked: through spec/support/property.ts, not fc.assert.
    files: ["spec/**/*.ts"],
    ignores: ["spec/support/property.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "fc",
          property: "assert",
          message:
            "use assertProperty (spec/support/property.ts): it fails unless numRuns cases were checked.",
        },
      ],
    },
  },
  {
    files: ["lib/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "node:child_process",
                "child_process",
                "node:fs",
                "fs",
                "node:fs/promises",
                "fs/promises",
                "**/shell/**",
              ],
              message: "core/ is pure: effects live in shell/.",
            },
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "core/ reads no clock: take `now` from deps." },
        { object: "Math", property: "random", message: "core/ is deterministic." },
        { object: "process", property: "env", message: "core/ reads no environment." },
      ],
    },
  },
);
