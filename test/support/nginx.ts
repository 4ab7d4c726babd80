import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../../electron/core/services/prodigy/process';

/**
 * Debian's nginx as the object storage behind File 360's redirects: it serves
 * `<root>/objects/<file id>/<version>` under the same pre-signed links the
 * sandbox hands out (ngx_http_secure_link_module: an MD5 of the expiry, the
 * URI and a shared secret; an expired or wrong link is 403, as S3 answers it).
 * A request that also carries an Authorization header is refused with 400, as
 * S3 refuses two credentials at once, so an app that forwards its token fails.
 */
export interface Nginx {
  url: string;
  /** With `accessLog`: each request as `status uri "range" "if-range" "authorization"`. */
  requests(): string[];
  close(): Promise<void>;
}

export function nginxAvailable(): boolean {
  return spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;
}

function config(dir: string, root: string, port: number, secret: string, workers: number, accessLog: string | undefined, refuseAuthorization: boolean): string {
  const temp = (name: string) => path.join(dir, 'temp', name);
  return `
# Root only: workers would run as nobody and could not read a 0700 temp folder.
${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
worker_processes ${workers};
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  log_format requests '$status $uri "$http_range" "$http_if_range" "$http_authorization"';
  access_log ${accessLog ? `${accessLog} requests` : 'off'};
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location /objects/ {
${refuseAuthorization ? '      if ($http_authorization) { return 400; }\n' : ''}      secure_link $arg_md5,$arg_expires;
      secure_link_md5 "$secure_link_expires$uri ${secret}";
      if ($secure_link = "") { return 403; }
      if ($secure_link = "0") { return 403; }
    }
  }
}
`;
}

async function listening(port: number, child: ChildProcess, log: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}: ${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port} within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts nginx in the foreground on a free loopback port, with its config, pid, logs and temp files in `dir`. */
export async function startNginx(options: {
  dir: string;
  root: string;
  secret: string;
  workers?: number;
  accessLog?: string;
  /** Default true. The benchmark's aria2c and curl follow File 360's redirect with the token still on, as they do; nginx then ignores it. */
  refuseAuthorization?: boolean;
}): Promise<Nginx> {
  const { dir, root, secret } = options;
  for (const name of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, 'temp', name), { recursive: true });
  const port = await freePort();
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, config(dir, root, port, secret, options.workers ?? 2, options.accessLog, options.refuseAuthorization ?? true));
  const log = path.join(dir, 'error.log');
  const child = spawn('nginx', ['-p', dir, '-c', file, '-e', log], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('error', () => undefined);
  try {
    await listening(port, child, log, 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}${stderr ? ` (${stderr.trim()})` : ''}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => (options.accessLog && fs.existsSync(options.accessLog) ? fs.readFileSync(options.accessLog, 'utf8').split('\n').filter(Boolean) : []),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGQUIT: a graceful stop; the workers end with the master.
        child.kill('SIGQUIT');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
