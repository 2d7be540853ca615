// `npm test`: the type check and the suite at once (the type check needs one core for a few seconds,
// the suite's start-up leaves one free), failing when either fails. Arguments go to vitest. The
// check is TypeScript's native compiler (tsgo, pinned): the same diagnostics as tsc for this code in
// a third of the time; `npm run typecheck` runs tsc itself.
import { spawn } from "node:child_process";
import { ensureBotPackages } from "./bot-packages.mjs";

const run = (command, args) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", shell: false });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on("error", (error) => {
      console.error(`${command}: ${error.message}`);
      resolve(1);
    });
  });

// The suite drives the wechaty bot too: its packages, which `npm install` leaves out, come first.
ensureBotPackages();

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const [types, suite] = await Promise.all([run(bin("tsgo"), ["-p", "tsconfig.json"]), run(bin("vitest"), ["run", ...process.argv.slice(2)])]);
if (types !== 0) console.error("\nthe type check failed (tsgo -p tsconfig.json)");
process.exit(types || suite);
