// @ts-check
import tseslint from "typescript-eslint";

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
