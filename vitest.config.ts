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

export default defineConfig({
  test: {
    globalSetup: ["tests/helpers/global-setup.ts"],
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
