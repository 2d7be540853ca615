import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Database and search tests start real servers: keep the machine's two cores from thrashing.
    maxWorkers: 2,
    globalSetup: ["test/global-setup.ts"],
  },
});
