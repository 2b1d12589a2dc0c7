/**
 * Two tiny TCP servers for the connection cases: one that answers like a non-PostgreSQL service (Redis-style
 * garbage), and one that speaks just enough of the PostgreSQL protocol to ask for a cleartext password and reject
 * it. The server on 127.0.0.1 trusts every local connection, so a wrong password is otherwise unobservable.
 */
import { createServer, type Server, type Socket } from "node:net";

/** A fake server on 127.0.0.1. */
export interface FakeServer {
  port: number;
  /** Passwords the server received (the password server only). */
  received: string[];
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>, received: string[]): Promise<FakeServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers anything with a Redis-style error line, then hangs up. */
export async function startGarbageServer(): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.once("data", () => socket.end("-ERR unknown command 'helo', with args beginning with:\r\n"));
  });
  return listen(server, sockets, []);
}

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function errorResponse(fields: Record<string, string>): Buffer {
  const parts = Object.entries(fields).map(([code, value]) => Buffer.from(`${code}${value}\0`, "utf8"));
  return message("E", Buffer.concat([...parts, Buffer.from([0])]));
}

/**
 * Reads the startup message, asks for a cleartext password (AuthenticationCleartextPassword), records what it gets
 * and answers SQLSTATE 28P01 (invalid_password), as PostgreSQL does for a wrong password.
 */
export async function startPasswordServer(): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const received: string[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!started) {
        if (buffer.length < 4 || buffer.length < buffer.readInt32BE(0)) return;
        const length = buffer.readInt32BE(0);
        const code = buffer.readInt32BE(4);
        buffer = buffer.subarray(length);
        if (code === 80_877_103) {
          // SSLRequest: "no SSL here", then the real startup message follows.
          socket.write("N");
          return;
        }
        started = true;
        const askPassword = Buffer.alloc(4);
        askPassword.writeInt32BE(3, 0);
        socket.write(message("R", askPassword));
      }
      if (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) return;
      if (buffer.toString("latin1", 0, 1) === "p") {
        received.push(buffer.toString("utf8", 5, 1 + buffer.readInt32BE(1)).replace(/\0$/, ""));
      }
      socket.end(
        errorResponse({ S: "FATAL", V: "FATAL", C: "28P01", M: 'password authentication failed for user "chaos"' }),
      );
    });
  });
  return listen(server, sockets, received);
}
