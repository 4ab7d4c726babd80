import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Folders this process holds, since a lock file naming our own pid cannot tell two of ours apart. */
const held = new Set<string>();

function alreadyRunning(dataDir: string, pid: number): AppError {
  return new AppError(
    'INTERNAL',
    `Annotator Companion is already running with the data folder ${dataDir} (process ${pid}). Switch to that window, or quit it first.`,
  );
}

/**
 * One app per data folder, whichever shell it runs in: two would sync into the
 * same files. A lock left by a crashed run (its process is gone) is taken over.
 */
export function acquireInstanceLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'companion.lock');
  if (held.has(file)) throw alreadyRunning(dataDir, process.pid);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      held.add(file);
      return () => {
        held.delete(file);
        fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) throw alreadyRunning(dataDir, pid);
      fs.rmSync(file, { force: true });
    }
  }
  throw new AppError('INTERNAL', `Could not lock the data folder ${dataDir}.`);
}
