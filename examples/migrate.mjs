// Node and Deno: continue a machine from a snapshot file, run a command, save it again.
//   node examples/migrate.mjs IN.snap OUT.snap "command"
//   deno run --allow-read --allow-write examples/migrate.mjs IN.snap OUT.snap "command"
// Prints the command's output and status as one JSON line.
import { readFile, writeFile } from "node:fs/promises";
import * as hartvm from "../dist/api.js";

const [input, output, command] = (globalThis.Deno?.args ?? process.argv.slice(2));
const vm = await hartvm.restoreMachine(new Uint8Array(await readFile(input)));
vm.start();
const result = await vm.exec(command, { timeout: 60_000 });
await writeFile(output, await vm.snapshot());
await vm.stop();
console.log(JSON.stringify(result));
