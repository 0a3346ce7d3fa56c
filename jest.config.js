/** jest + ts-jest: specs are compiled to CommonJS in memory; the package itself ships ESM. */
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/spec"],
  testMatch: ["**/*.spec.ts"],
  moduleNameMapper: {
    // import.meta is ESM-only: under jest's CommonJS the one module using it is swapped.
    "^(\\.{1,2}/)+(lib/shell/)?internal/here\\.js$": "<rootDir>/spec/support/here.ts",
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }],
  },
  testTimeout: 30000,
};
