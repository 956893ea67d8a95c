/**
 * Raw HTTP over a TCP socket, for what fetch cannot do: a head or body that never finishes, a Host
 * header of our choosing, a connection left idle.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export interface RawHttp {
  socket: Socket;
  /** Everything the server sent so far (latin1). */
  received(): string;
  /** Resolves with the ms from open to close, or null when still open after `withinMs`. */
  closedWithin(withinMs: number): Promise<number | null>;
}

/**
 * Opens a socket to 127.0.0.1:port and writes `text` (may be a partial request). `from` is the local
 * address to connect from (Linux routes all of 127.0.0.0/8 to lo: 127.0.0.2 is a second client IP).
 */
export function rawHttp(port: number, text: string, from?: string): Promise<RawHttp> {
  return new Promise((resolve, reject) => {
    const opened = Date.now();
    let data = '';
    let closedAt: number | null = null;
    const socket = connect({ port, host: '127.0.0.1', ...(from === undefined ? {} : { localAddress: from }) }, () => {
      socket.write(text);
      resolve({
        socket,
        received: () => data,
        closedWithin: (withinMs) => new Promise((done) => {
          if (closedAt !== null) return done(closedAt - opened);
          const timer = setTimeout(() => done(null), withinMs);
          socket.once('close', () => {
            clearTimeout(timer);
            done((closedAt ?? Date.now()) - opened);
          });
        }),
      });
    });
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
    });
    socket.on('close', () => {
      closedAt = Date.now();
    });
    socket.on('error', reject);
  });
}

/** A full request and its answer's status line, e.g. `HTTP/1.1 421 Misdirected Request`. */
export async function rawStatus(port: number, request: string, from?: string): Promise<string> {
  const raw = await rawHttp(port, request, from);
  await raw.closedWithin(5000);
  raw.socket.destroy();
  return raw.received().split('\r\n')[0] ?? '';
}
