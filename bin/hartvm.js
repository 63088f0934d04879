#!/usr/bin/env node
// The `hartvm` command: the bundled host (built by `npm run build`, run by `prepare`).
import "../dist/hartvm.js";
