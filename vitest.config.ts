import { defineConfig } from "vitest/config";

/**
 * Tests that touch a database run on PGlite always, and once more on PostgreSQL
 * when TEST_DATABASE_URL is set (CI sets it). Pure unit tests run once.
 */
const dbTests = [
  "tests/domain/**/*.test.ts",
  "tests/http/**/*.test.ts",
  "tests/bot/**/*.test.ts",
  "tests/jobs/**/*.test.ts",
];
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * Speed on a 2-core machine (the suite had grown to 22 minutes run one file at a
 * time): most test files wait on I/O (a database, a fake Bot API, Chromium), so
 * three files run at once; and a worker keeps its imported modules between files
 * (isolate: false) instead of loading the whole product again for each one, which
 * was a large share of every file's time. Tests hold no module-level state (no
 * vi.mock, databases and servers are made per file), so nothing leaks between them.
 * VITEST_MAX_WORKERS overrides the count (1 to run files one by one).
 */
const maxWorkers = Number(process.env.VITEST_MAX_WORKERS ?? 3);

export default defineConfig({
  test: {
    globalSetup: ["tests/helpers/global-setup.ts"],
    maxWorkers,
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts", "tests/e2e/**/*.test.ts"] },
      },
      { extends: true, test: { name: "pglite", include: dbTests, env: { TEST_DRIVER: "pglite" } } },
      ...(onPostgres
        ? [
            {
              extends: true as const,
              test: { name: "postgres", include: dbTests, env: { TEST_DRIVER: "postgres" } },
            },
          ]
        : []),
    ],
  },
});
