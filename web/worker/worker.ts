// The machine's thread. The page posts commands (protocol.ts); this worker runs the machine
// with hartvm's public API and posts back console output, download progress, the status
// line's figures and errors. It never blocks the page: the guest runs here.
import type { ToWorker, FromWorker } from "../protocol.js";
import { trackDownloads } from "./downloads.js";
import { describeError } from "./errors.js";
import { Session, type Post } from "./session.js";

const STATUS_EVERY_MS = 1000;

const post: Post = (message: FromWorker, transfer: Transferable[] = []) => self.postMessage(message, { transfer });
const downloads = trackDownloads((files) => post({ type: "downloads", files }));
let session: Session | null = null;

self.onmessage = ({ data }: MessageEvent<ToWorker>) => {
  try {
    if (data.type === "start") {
      if (session) return;
      session = new Session(data.plan, post, downloads);
      session.start();
      setInterval(() => session!.report(), STATUS_EVERY_MS);
      return;
    }
    if (!session) return;
    switch (data.type) {
      case "input": return session.input(data.data);
      case "pause": return session.pause();
      case "resume": return session.resume();
      case "reset": return session.reset();
      case "snapshot": return session.snapshot();
      case "restore": return session.restore(data.name, data.bytes);
      case "add-disk": return session.addDisk(data.name, data.bytes);
    }
  } catch (e) {
    post({ type: "error", message: describeError(e, data.type) });
  }
};
