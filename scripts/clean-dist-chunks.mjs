// Removes the bundles in dist/ before build:host writes them again: with code splitting,
// chunk names carry a content hash, and a rebuild would otherwise leave the old chunks
// beside the new ones (and npm pack would ship them). dist/web and dist/types are rebuilt by
// their own steps and stay.
import { readdirSync, rmSync, existsSync } from "node:fs";

const dist = new URL("../dist/", import.meta.url);
if (existsSync(dist)) {
  for (const f of readdirSync(dist)) if (f.endsWith(".js")) rmSync(new URL(f, dist));
}
