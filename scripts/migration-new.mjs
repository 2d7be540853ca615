// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes a database from the
// existing migrations to prisma/schema.prisma (scripts/schema-diff.mjs: offline, no server).
// Usage: npm run db:migration -- <name>
//        node scripts/migration-new.mjs --check   (exit 1 when the schema has changes no migration holds)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrationsDir, schemaDiff } from "./schema-diff.mjs";

const name = process.argv[2];
const checkOnly = name === "--check";
if (!checkOnly && (!name || !/^[a-z0-9_]+$/.test(name))) {
  console.error("usage: npm run db:migration -- <name in lower_snake_case>");
  process.exit(2);
}

const sql = await schemaDiff("migrations");
if (sql === null) {
  console.log("schema.prisma matches the migrations: nothing to write");
  process.exit(0);
}
if (checkOnly) {
  console.error(`schema.prisma has changes that no migration holds; run npm run db:migration -- <name>:\n${sql}`);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir);
writeFileSync(join(dir, "migration.sql"), sql);
console.log(`wrote ${join("prisma/migrations", `${stamp}_${name}`, "migration.sql")}`);
process.exit(0);
