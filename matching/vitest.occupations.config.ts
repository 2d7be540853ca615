// Runs only the occupation normaliser's tests, without the shared config's database global setup:
// npx vitest run --config matching/vitest.occupations.config.ts
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/matching/occupations.test.ts"],
    testTimeout: 30_000,
  },
});
