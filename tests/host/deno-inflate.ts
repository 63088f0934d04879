// Run by node-inflate.test.ts under Deno: the same inflater through Deno's node:zlib. Prints
// one JSON line: exact bytes, the limit's error, corrupt data's error. (--sloppy-imports maps the
// project's .js import paths to its .ts files.)
import { gzipSync } from "node:zlib";
import { inflate } from "../../host-ts/platform/node-inflate.js";
import { InflateLimit } from "../../images/gzip.js";

const plain = new Uint8Array(3 << 20).map((_, i) => (i * 2654435761) >>> 27);
const gz = new Uint8Array(gzipSync(plain));
const out = await inflate(gz, 1 << 30);
const exact = out.length === plain.length && out.every((b, i) => b === plain[i]);
const limit = await inflate(gz, 1 << 20).then(() => "none", (e) => (e instanceof InflateLimit ? "InflateLimit" : String(e)));
const bad = gz.slice();
bad[bad.length - 1] ^= 1;
const corrupt = await inflate(bad, 1 << 30).then(() => "none", (e) => (e instanceof InflateLimit ? "InflateLimit" : "error"));
console.log(JSON.stringify({ exact, limit, corrupt }));
