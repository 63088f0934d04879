// Node and Deno: `node examples/boot-and-exec.mjs` or `deno run --allow-read examples/boot-and-exec.mjs`
// (with hartvm installed in node_modules). Prints one JSON line.
import * as hartvm from "hartvm";
import { session } from "./session.mjs";

const result = await session(hartvm, (line) => console.error(line));
console.log(JSON.stringify(result));
