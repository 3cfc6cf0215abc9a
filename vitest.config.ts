import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tools/**/*.test.ts", "models/**/*.test.ts", "evals/**/*.test.ts", "test/**/*.test.ts"],
    // Two cores on CI: forks keep native better-sqlite3 handles isolated per file.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
