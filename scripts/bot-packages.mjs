// The wechaty bot's own packages (bots/wechaty/package.json: wechaty and what it brings, about 280
// packages and 166 MB) are installed only where they are used: by `npm run bot:wechaty`, and by
// `npm test`, whose suite drives the bot through wechaty's mock puppet. `npm install` for the service
// leaves them out. Installed from the bot's own lockfile, again only when that lockfile changed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const folder = fileURLToPath(new URL("../bots/wechaty/", import.meta.url));

export function ensureBotPackages() {
  const installed = `${folder}node_modules/.package-lock.json`;
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(`${folder}package-lock.json`).mtimeMs) return;
  console.log("installing the wechaty bot's packages (bots/wechaty/package.json; once)");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: folder, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`could not install the wechaty bot's packages (npm ci in ${folder})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureBotPackages();
