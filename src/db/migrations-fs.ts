// Reads prisma/migrations/<name>/migration.sql from disk (Node only; Workers deployments migrate
// from a Node machine with `npm run db:migrate`).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectFile } from "../shared/project-files.ts";
import type { Migration } from "./migrate.ts";

const migrationsDir = projectFile("prisma", "migrations");

export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => ({ name: entry.name, sql: readFileSync(join(dir, entry.name, "migration.sql"), "utf8") }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
