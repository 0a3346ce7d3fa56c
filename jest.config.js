/**
 * jest + ts-jest: specs are compiled to CommonJS in memory; the package itself ships ESM.
 *
 * Two projects: `unit` (the pure core, its codecs and their property tests: no process, no
 * network, under a minute; `npm run test:unit`) and `integration` (the real CLI against
 * the loopback stub, the session store on disk, Redis, the packed tarball, the docs' examples;
 * `npm run test:integration`). `npm test` runs both.
 */
const shared = {
  testEnvironment: "node",
  roots: ["<rootDir>/spec"],
  moduleNameMapper: {
    // import.meta is ESM-only: under jest's CommonJS the one module using it is swapped.
    "^(\\.{1,2}/)+(lib/shell/)?internal/here\\.js$": "<rootDir>/spec/support/here.ts",
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }],
  },
};

/**
 * The unit tier's folders: pure code only, with their property tests. The fuzz harness
 * (spec/fuzz: 100,000 cases per target) is pure too, but takes minutes of CPU: it runs in the
 * integration tier, so the unit tier stays under a minute.
 */
const UNIT = ["core", "interop"];

export default {
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: UNIT.map((d) => `<rootDir>/spec/${d}/**/*.spec.ts`),
    },
    {
      ...shared,
      displayName: "integration",
      testMatch: ["<rootDir>/spec/**/*.spec.ts"],
      setupFilesAfterEnv: ["<rootDir>/spec/support/preload-lazy.ts"],
      testPathIgnorePatterns: UNIT.map((d) => `<rootDir>/spec/${d}/`),
    },
  ],
};
