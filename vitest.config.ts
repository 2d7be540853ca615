import { defineConfig } from "vitest/config";
import LongestFirst from "./test/support/longest-first.ts";

/** Tests that need neither a database nor a search engine: they start at once, without the global setup. */
const PURE = [
  "test/engine/**/*.test.ts",
  "test/unit/**/*.test.ts",
  "test/roster/rows.test.ts",
  "test/policies/**/*.test.ts",
  "test/channels/*-protocol.test.ts",
  "test/matching/occupations.test.ts",
  "test/conversation/drain.test.ts",
  "test/boundaries.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Three on this kind of two-core machine: the tests wait on the search engine and the database
    // often enough that a third keeps the cores busy (measured: 107 s against 119 s with two).
    maxWorkers: 3,
    // Every test file builds its own world (a database copy, its own search indexes, its own app), so
    // files need no fresh module graph each: the modules load once per worker, not once per file.
    isolate: false,
    reporters: ["default", "./test/support/slowest-files.ts"],
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: "pure", include: PURE } },
      { extends: true, test: { name: "integration", include: ["test/**/*.test.ts"], exclude: PURE, globalSetup: ["test/global-setup.ts"] } },
    ],
  },
});
