// Test runner settings: unit, rule and emulator tests run in Node; a JSON summary goes to test-artifacts/ for CI.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "rules/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", ["json", { outputFile: "test-artifacts/vitest.json" }]],
  },
});
