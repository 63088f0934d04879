// Build step: the zstd library's wasm goes to build/ next to core.wasm, where the bundled
// API finds it (host-ts/snapshot/zstd.ts); the library's JS is bundled into dist/.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const nodeEntry = require.resolve("@bokuweb/zstd-wasm"); // .../dist/common/index.node.js
const wasm = join(dirname(nodeEntry), "..", "web", "zstd.wasm");
mkdirSync("build", { recursive: true });
copyFileSync(wasm, join("build", "zstd.wasm"));
