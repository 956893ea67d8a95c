import net from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for servers that cannot listen on port 0
 * themselves and report it (redis-server, haproxy). Callers retry when it got taken in between.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
