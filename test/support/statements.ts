import type Database from 'better-sqlite3';

/** One call of a prepared statement: its text, how it was run, with what, and what came back. */
export interface StatementCall {
  sql: string;
  method: 'all' | 'get' | 'run' | 'iterate';
  params: unknown[];
  /** Rows returned (all, get, iterate), as they come. */
  rows: number;
}

/**
 * The same database, with every statement prepared on it reporting its calls:
 * the app's own code runs unchanged, and a test sees exactly what it asked
 * SQLite (the statements for EXPLAIN QUERY PLAN, the rows a check read).
 */
export function watchStatements(db: Database.Database, seen: (call: StatementCall) => void): Database.Database {
  const wrap = (inner: Database.Statement, sql: string) =>
    new Proxy(inner, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        const run = value as (...params: unknown[]) => unknown;
        if (key === 'all') return (...params: unknown[]) => ((result) => (seen({ sql, method: 'all', params, rows: result.length }), result))(run.apply(target, params) as unknown[]);
        if (key === 'get') return (...params: unknown[]) => ((result) => (seen({ sql, method: 'get', params, rows: result === undefined ? 0 : 1 }), result))(run.apply(target, params));
        if (key === 'run') return (...params: unknown[]) => ((result) => (seen({ sql, method: 'run', params, rows: 0 }), result))(run.apply(target, params));
        if (key === 'iterate') {
          return function* (...params: unknown[]) {
            let rows = 0;
            try {
              for (const row of run.apply(target, params) as Iterable<unknown>) {
                rows += 1;
                yield row;
              }
            } finally {
              seen({ sql, method: 'iterate', params, rows });
            }
          };
        }
        return run.bind(target);
      },
    });
  return new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') return (sql: string) => wrap(target.prepare(sql), sql);
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
