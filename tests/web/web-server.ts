// The built page (dist/web/) on localhost, as any static web server would serve it, plus
// files a test adds at run time (a snapshot made in Node) under their own paths.
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm",
};

export interface WebServer {
  url: string;
  /** Serves `bytes` at `path` (absolute, e.g. "/extra/a.snapshot") from now on. */
  add(path: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

export async function serveWeb(root: string): Promise<WebServer> {
  const extra = new Map<string, Uint8Array>();
  const server: Server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let body = extra.get(pathname);
    if (!body) {
      const path = normalize(join(root, pathname.endsWith("/") ? pathname + "index.html" : pathname));
      if (!path.startsWith(root + sep)) return void res.writeHead(403).end();
      body = await readFile(path).catch(() => undefined);
    }
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(pathname)] ?? "application/octet-stream", "content-length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    add: (path, bytes) => void extra.set(path, bytes),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
