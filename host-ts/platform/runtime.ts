// Which JavaScript runtime we are in. Portable: no imports, only feature tests.

export type RuntimeName = "node" | "deno" | "browser";

const g = globalThis as unknown as { Deno?: unknown; process?: { versions?: { node?: string } } };

export const runtime: RuntimeName =
  typeof g.Deno === "object" && g.Deno !== null ? "deno" : typeof g.process?.versions?.node === "string" ? "node" : "browser";

/** Node and Deno read files by path (Deno through its node:fs); browsers only fetch URLs. */
export const hasFileSystem = runtime !== "browser";
