import fs from 'node:fs';
import path from 'node:path';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** A plain text table: the first row is the header. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return `\n${line(rows[0] ?? [])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.slice(1).map(line).join('\n')}\n\n`;
}

/** Keeps each run's numbers next to the test output: test-results/bench/<name>.json. */
export function writeResult(name: string, result: unknown): void {
  const dir = path.resolve('test-results', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), node: process.version, ...(result as object) }, null, 2)}\n`);
  process.stdout.write(`Saved ${path.relative(process.cwd(), file)}\n`);
}
