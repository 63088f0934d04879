// The gdb stub's TCP listener on Node: one debugger at a time, bytes to and from a
// GdbSession (host-ts/gdb/session.ts) over the machine's DebugTarget.
import { createServer, type Server, type Socket } from "node:net";
import { GdbSession } from "../gdb/session.js";
import { MachineDebugTarget, type DebuggableMachine } from "../gdb/machine-target.js";
import { UsageError } from "../cli.js";

export interface GdbServerOptions {
  /** Interface to listen on ("" = loopback only; QEMU would listen on all of them). */
  host: string;
  /** TCP port; 0 picks a free one (printed). */
  port: number;
  /** Hold the machine before its first instruction until gdb resumes it (-S). */
  waitForDebugger: boolean;
  log(line: string): void;
}

export interface GdbServer {
  readonly port: number;
  readonly target: MachineDebugTarget;
  /** The machine's run ended with `status`: gdb gets the exit code, then the listener closes. */
  close(status: number): Promise<void>;
}

export async function startGdbServer(machine: DebuggableMachine, opts: GdbServerOptions): Promise<GdbServer> {
  const target = new MachineDebugTarget(machine, { startPaused: opts.waitForDebugger });
  let active: { socket: Socket; session: GdbSession } | null = null;

  const server: Server = createServer((socket) => {
    if (active) {
      // One debugger at a time, as QEMU: the newcomer is turned away.
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const session = new GdbSession(target, {
      send: (bytes) => { if (!socket.destroyed) socket.write(bytes); },
      close: () => socket.end(),
    });
    const entry = { socket, session };
    active = entry;
    socket.on("data", (chunk: Buffer) => session.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    socket.on("error", () => {});
    socket.on("close", () => {
      session.disconnected();
      if (active === entry) active = null;
    });
  });

  const host = opts.host === "" ? "127.0.0.1" : opts.host;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => reject(new UsageError(`--gdb tcp:${host}:${opts.port}: ${e.message}`)));
    server.listen(opts.port, host, () => { server.removeAllListeners("error"); resolve(); });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  opts.log(`gdb stub listening on tcp:${host}:${port}${opts.waitForDebugger ? ", waiting for gdb to connect and continue" : ""}`);

  return {
    port,
    target,
    async close(status: number): Promise<void> {
      target.exited(status);
      const socket = active?.socket;
      if (socket && !socket.destroyed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => { socket.destroy(); resolve(); }, 1000);
          socket.once("close", () => { clearTimeout(timer); resolve(); });
          socket.end();
        });
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
