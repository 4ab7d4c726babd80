import path from 'node:path';
import Database from 'better-sqlite3';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the Prodigy the app's database says is running (0 if none). */
export function runningProdigyPid(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'companion.db'), { readonly: true });
  try {
    return db.prepare<[], { pid: number }>("SELECT pid FROM prodigy_sessions WHERE state IN ('starting', 'running') AND pid IS NOT NULL").get()?.pid ?? 0;
  } finally {
    db.close();
  }
}
