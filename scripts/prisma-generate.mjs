// Generates the Prisma client (src/db/generated) without network access.
// The Prisma CLI downloads a native schema engine for every command; `generate` does not need it, so
// this child process (and only it) is told the engine is /bin/true. Never set that variable
// globally: `prisma migrate deploy` would then exit 0 and apply nothing.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const cli = "node_modules/prisma/build/index.js";
if (!existsSync(cli)) {
  // Production installs (--omit=dev) ship a client generated at build time.
  console.log("prisma CLI not installed; skipping client generation");
  process.exit(0);
}
const result = spawnSync(process.execPath, [cli, "generate"], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
});
process.exit(result.status ?? 1);
