import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Every member of a zip with its sha256, read by Python's zipfile: another implementation than the one that wrote it. */
export async function zipMembers(file: string): Promise<Record<string, { sha256: string; text: string | null }>> {
  const script = `import zipfile, sys, json, hashlib
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
out = {}
for n in z.namelist():
    b = z.read(n)
    out[n] = {"sha256": hashlib.sha256(b).hexdigest(), "text": b.decode("utf-8") if n.endswith((".json", ".jsonl", ".md")) else None}
print(json.dumps(out))`;
  const { stdout } = await run('python3', ['-c', script, file]);
  return JSON.parse(stdout) as Record<string, { sha256: string; text: string | null }>;
}
