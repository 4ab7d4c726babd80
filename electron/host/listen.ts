import type http from 'node:http';

/** Listens on 127.0.0.1; a failure to listen rejects, an error after it is `afterwards`'s. */
export function listenLocal(server: http.Server, port: number, afterwards: (error: Error) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      server.on('error', afterwards);
      resolve();
    });
  });
}
