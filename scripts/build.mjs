// Builds what `npm start` runs; run by `npm install` and again by every `npm start`, so what runs
// is always the source as it stands:
// - dist/node.mjs, the Node service compiled into one file. Transpiling TypeScript at start (tsx)
//   cost about 2 seconds and 40 MB of memory for as long as the service ran; esbuild does the whole
//   bundle in a fraction of a second. Packages stay outside it, loaded from node_modules. Tests and
//   the one-off commands still run the sources through tsx.
// - dist/database-image, the embedded database a first start copies (src/db/embedded-image.ts),
//   rebuilt only when what it is made of changed: the migrations, the divisions, PGlite's version.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The newest modification time of the files under the given paths (the wechaty bot's own packages apart). */
const newest = (paths) =>
  Math.max(
    0,
    ...paths
      .filter((path) => !path.endsWith("node_modules"))
      .map((path) => (statSync(path).isDirectory() ? newest(readdirSync(path).map((name) => join(path, name))) : statSync(path).mtimeMs)),
  );

// As make would: compiled again only when a source is newer than the bundle.
const bundled = existsSync("dist/node.mjs") && statSync("dist/node.mjs").mtimeMs;
if (!bundled || newest(["src", "bots", "matching", "package.json", "scripts/build.mjs"]) >= bundled) {
  const { build } = await import("esbuild");
  await build({
    entryPoints: { node: "src/entry/node.ts", "database-image": "src/entry/database-image.ts" },
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  // esbuild leaves an unchanged output untouched; its time must still say it is current.
  const now = new Date();
  for (const file of ["dist/node.mjs", "dist/database-image.mjs"]) utimesSync(file, now, now);
}

const hash = createHash("sha256");
hash.update(JSON.parse(readFileSync("node_modules/@electric-sql/pglite/package.json", "utf8")).version);
for (const name of readdirSync("prisma/migrations").sort()) {
  const file = join("prisma/migrations", name, "migration.sql");
  if (existsSync(file)) hash.update(name).update(readFileSync(file));
}
for (const file of ["regions", "villages"]) hash.update(readFileSync(`src/reference/data/${file}.tsv.gz`));
const imageKey = hash.digest("hex");
const keyFile = "dist/database-image.key";
if (!existsSync("dist/database-image/PG_VERSION") || !existsSync(keyFile) || readFileSync(keyFile, "utf8") !== imageKey) {
  console.log("preparing the embedded database for first starts (once after an install or a new migration; about 15 s)");
  const made = spawnSync(process.execPath, ["dist/database-image.mjs"], { stdio: "inherit" });
  if (made.status !== 0) {
    // Not fatal: a first start without the image makes its database itself, only slower.
    console.warn("could not prepare the embedded database image; a first start will build its database itself");
  } else writeFileSync(keyFile, imageKey);
}
