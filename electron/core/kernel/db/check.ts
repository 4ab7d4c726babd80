import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * SQLite's quick_check reads every page: about a second for the ~1 GB a year
 * of work makes, fifteen when the file is not in the page cache. At open it
 * runs only while the file is small; a larger one is checked on a worker
 * thread with its own read-only connection, so the window never waits.
 */
export const CHECK_AT_OPEN_BYTES = 64 * 1024 * 1024;

/** Beside the database: a background check found it damaged, so the next open checks it before use. */
export const damagedMark = (file: string) => `${file}.check-failed`;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
let db;
try {
  const Database = require(workerData.module);
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  parentPort.postMessage({ result: String(db.pragma('quick_check', { simple: true })) });
} catch (error) {
  const code = String((error && error.code) || '');
  parentPort.postMessage(code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' ? { result: code } : { error: String((error && error.message) || error) });
} finally {
  if (db) db.close();
}
`;

/** Where better-sqlite3 is, for the worker: beside this bundle, or (running from source) beside the project. */
function driverPath(): string {
  const local = typeof require === 'function' ? require : createRequire(path.join(process.cwd(), 'index.js'));
  return local.resolve('better-sqlite3');
}

/**
 * `ok`, or SQLite's words for what is damaged; rejects when the check itself
 * could not run (no worker, no driver), which says nothing about the file.
 */
export function checkInBackground(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER, { eval: true, workerData: { file, module: driverPath() } });
    } catch (error) {
      reject(error as Error);
      return;
    }
    worker.once('message', (message: { result?: string; error?: string }) => (message.result !== undefined ? resolve(message.result) : reject(new Error(message.error))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the database check stopped (${code})`)));
    worker.unref();
  });
}
