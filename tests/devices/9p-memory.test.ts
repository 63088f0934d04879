import { MemoryFs } from "../../devices/fs/memory-backend.js";
import { fileOpsSuite } from "./9p-ops.js";

fileOpsSuite("in-memory tree", () => ({ backend: new MemoryFs(), fifos: true, chown: true }));
