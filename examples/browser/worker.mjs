// The machine lives in this worker; the page only shows what it reports.
import * as hartvm from "../../dist/api.js";
import { session } from "../session.mjs";

try {
  const result = await session(hartvm, (line) => postMessage({ line }));
  postMessage({ result });
} catch (e) {
  postMessage({ error: String(e?.stack ?? e) });
}
