/** `npm run bench -- <name>`: runs bench/<name>.ts. */
const BENCHES = ['sync', 'renderer', 'disputes', 'outbox', 'wipe'] as const;
const name = process.argv[2];
if (!name || !(BENCHES as readonly string[]).includes(name)) {
  process.stderr.write(`Usage: npm run bench -- <${BENCHES.join('|')}>\n`);
  process.exit(2);
}
await import(`./${name}.ts`);
export {};
