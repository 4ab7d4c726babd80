import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { assignmentLayout } from '../../electron/core/services/assignments/layout';
import { addAssignment, filesUnder, idle, onDisk, sha256File, signedInApp } from '../support/file360-app';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';
import type { File360Sandbox } from '../../sandbox/file360';

const MiB = 1024 * 1024;
/** Node itself with tsx's loader: one process, so a SIGKILL reaches the app and not a wrapper around it. */
const NODE = [process.execPath, '--import', 'tsx'];

interface ChildLine {
  event: string;
  payload?: { assignmentId: string; state: string; bytesDone: number };
  sync?: { error: string | null; filesOnDisk: number };
  rows?: Array<{ path: string; state: string }>;
  onDisk?: Array<{ path: string; sha256: string }>;
}

function childArgs(sb: File360Sandbox, dataDir: string, assignmentId: string): string {
  return JSON.stringify({ dataDir, server: sb.url, tenant: sb.tenant, username: 'ana', password: 'ana-password', assignmentId });
}

function lines(child: ChildProcess, onLine: (line: ChildLine) => void): Promise<number | null> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
  readline.createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      onLine(JSON.parse(text) as ChildLine);
    } catch {
      // Not one of ours (a library printing); ignore.
    }
  });
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(stderr);
      resolve(code);
    }),
  );
}

describe('a sync that dies or runs out of disk', () => {
  it('never shows a partial file under its real name after kill -9, and completes after a restart without fetching received bytes again', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-kill', [
      { id: 'fil-kill', path: 'data/big.bin', size: 8 * MiB },
      ...Array.from({ length: 5 }, (_, i) => ({ path: `small/${i}.txt`, text: `small file ${i}\n` })),
    ]);
    sb.faults.set({ slowBodyBytesPerSecond: { bytesPerSecond: 2 * MiB, pathPrefix: '/file360/v1/files/fil-kill' } });
    const dataDir = path.join(tempDir(), 'data');
    const manifest = new Map(sb.admin.files('asg-kill').map((item) => [item.path, item]));
    const files = assignmentLayout(dataDir, 'asg-kill').files;

    const child = spawn(NODE[0] ?? 'node', [...NODE.slice(1), 'test/support/sync-child.ts', childArgs(sb, dataDir, 'asg-kill')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exposed: string[] = [];
    // Watch the real names the whole time: whatever is there must already be the right bytes.
    const watcher = setInterval(() => {
      for (const relative of filesUnder(files)) {
        const item = manifest.get(relative.split(path.sep).join('/'));
        const file = path.join(files, relative);
        try {
          if (!item || sha256File(file) !== item.sha256) exposed.push(relative);
        } catch {
          // Renamed away between listing and reading; the next pass sees it.
        }
      }
    }, 15);
    const exited = lines(child, (line) => {
      if (line.event === 'sync.progress' && line.payload?.assignmentId === 'asg-kill' && line.payload.bytesDone > 2 * MiB) child.kill('SIGKILL');
    });
    expect(await exited).toBeNull();
    clearInterval(watcher);
    expect(exposed).toEqual([]);
    expect(fs.existsSync(path.join(files, 'data', 'big.bin'))).toBe(false);
    const [partial] = filesUnder(assignmentLayout(dataDir, 'asg-kill').partial);
    const kept = fs.statSync(path.join(assignmentLayout(dataDir, 'asg-kill').partial, partial ?? '')).size;
    expect(kept).toBeGreaterThan(MiB);

    sb.faults.reset();
    const app = await signedInApp(sb, dataDir);
    await idle(app);
    expect(onDisk(sb, dataDir, 'asg-kill').every((f) => f.sha256 === f.item.sha256)).toBe(true);
    expect(sb.stats().rangeHeaders['fil-kill']).toEqual([`bytes=${kept}-`]);
  });

  it('stops with a clear message when the disk is full, and keeps every file it already checked', async (ctx) => {
    const probe = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true'], { stdio: 'ignore' });
    if (probe.status !== 0) {
      ctx.skip('unshare cannot make a user and mount namespace here, so no small disk can be mounted for this test');
      return;
    }
    const sb = await sandbox();
    addAssignment(sb, 'asg-full', Array.from({ length: 10 }, (_, i) => ({ path: `f/${String(i).padStart(2, '0')}.bin`, size: 600 * 1024 })));
    const dataDir = path.join(tempDir(), 'data');
    const assignments = path.join(dataDir, 'assignments');
    fs.mkdirSync(assignments, { recursive: true });
    // One download at a time, so files finish (and are verified) before the disk fills.
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ syncConcurrency: 1 }));

    // A 2 MB disk for the synced files only, visible to the child alone; the database stays on the real disk.
    const child = spawn(
      'unshare',
      ['--user', '--map-root-user', '--mount', 'sh', '-c', 'mount -t tmpfs -o size=2m none "$1" && exec "$2" --import tsx test/support/sync-child.ts "$3"', 'sh', assignments, process.execPath, childArgs(sb, dataDir, 'asg-full')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let report: ChildLine | undefined;
    expect(await lines(child, (line) => line.event === 'report' && (report = line))).toBe(0);

    expect(report?.sync?.error).toMatch(/disk is full/);
    const manifest = new Map(sb.admin.files('asg-full').map((item) => [item.path, item.sha256]));
    const kept = report?.onDisk ?? [];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(10);
    for (const file of kept) expect(file.sha256, file.path).toBe(manifest.get(file.path));
    expect(report?.rows?.filter((row) => row.state === 'done').map((row) => row.path).sort()).toEqual(kept.map((file) => file.path).sort());
  });
});
