import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../electron/core/kernel/errors';
import { parseCommand } from '../../electron/core/services/prodigy/process';
import { buildSource, instructionsHtml } from '../../electron/core/sessions/source';
import type { SyncedFile } from '../../electron/core/services/assignments/synced-files';
import { tempDir } from '../support/tmp';

function files(dir: string, contents: Record<string, string | Buffer>): SyncedFile[] {
  return Object.entries(contents).map(([relative, body], index) => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    return { id: `fil-${index}`, path: relative, sha256: String(index).padStart(64, '0'), file };
  });
}

const readTasks = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the Prodigy source built from synced files', () => {
  it('makes a text task of each .txt and .md file, with where it came from', () => {
    const dir = tempDir();
    const input = files(dir, { 'b.md': '# Heading\nBody', 'a.txt': 'Hello there' });
    const built = buildSource(input, path.join(dir, 'source.jsonl'), null);
    expect(built).toMatchObject({ tasks: 2, skipped: [] });
    expect(readTasks(built.file)).toEqual([
      { text: 'Hello there', meta: { file_id: 'fil-1', path: 'a.txt', sha256: input[1]?.sha256 } },
      { text: '# Heading\nBody', meta: { file_id: 'fil-0', path: 'b.md', sha256: input[0]?.sha256 } },
    ]);
  });

  it('passes .jsonl tasks through, keeping their own meta and adding the file and line', () => {
    const dir = tempDir();
    const input = files(dir, { 'tasks.jsonl': '{"text":"one","meta":{"source":"email"}}\n\n{"text":"two","label":"X"}\n' });
    const built = buildSource(input, path.join(dir, 'source.jsonl'), null);
    expect(readTasks(built.file)).toEqual([
      { text: 'one', meta: { source: 'email', file_id: 'fil-0', path: 'tasks.jsonl', sha256: input[0]?.sha256, line: 1 } },
      { text: 'two', label: 'X', meta: { file_id: 'fil-0', path: 'tasks.jsonl', sha256: input[0]?.sha256, line: 3 } },
    ]);
  });

  it('refuses a malformed .jsonl, naming the file and the line, and writes no source', () => {
    const dir = tempDir();
    const input = files(dir, { 'ok.txt': 'fine', 'tasks/bad.jsonl': '{"text":"one"}\n{"text": "two"\n["not an object"]\n{"meta":{}}\n' });
    const target = path.join(dir, 'source.jsonl');
    let error: unknown;
    try {
      buildSource(input, target, null);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('SOURCE_INVALID');
    expect((error as AppError).message).toContain('tasks/bad.jsonl line 2: not valid JSON');
    expect((error as AppError).message).toContain('tasks/bad.jsonl line 3: a task must be a JSON object.');
    expect((error as AppError).message).toContain('tasks/bad.jsonl line 4: the task has no "text", "image" or "html" to show.');
    expect(fs.existsSync(target)).toBe(false);
  });

  it('makes image tasks Prodigy can show, and lists files it cannot use instead of dropping them', () => {
    const dir = tempDir();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const input = files(dir, { 'scans/a.PNG': png, 'report.pdf': '%PDF-1.4', 'README': 'no extension' });
    const built = buildSource(input, path.join(dir, 'source.jsonl'), null);
    expect(readTasks(built.file)).toEqual([{ image: `data:image/png;base64,${png.toString('base64')}`, meta: expect.objectContaining({ path: 'scans/a.PNG' }) }]);
    expect(built.skipped).toEqual([
      { path: 'README', reason: 'Prodigy cannot show files without an extension in this project.' },
      { path: 'report.pdf', reason: 'Prodigy cannot show .pdf files in this project.' },
    ]);
  });

  it('leaves the instructions file out of the tasks and turns it into a help page', () => {
    const dir = tempDir();
    const input = files(dir, { 'guidelines.md': 'Label <intent> carefully & consistently', 'a.txt': 'task' });
    const built = buildSource(input, path.join(dir, 'source.jsonl'), 'fil-0');
    expect(built.tasks).toBe(1);
    expect(instructionsHtml(input[0] as SyncedFile)).toBe('<pre style="white-space: pre-wrap; font: inherit">Label &lt;intent&gt; carefully &amp; consistently</pre>');
  });

  it('says so when nothing can be annotated', () => {
    const dir = tempDir();
    expect(() => buildSource(files(dir, { 'a.pdf': 'x' }), path.join(dir, 'source.jsonl'), null)).toThrow(/None of this assignment’s files can be annotated/);
  });
});

describe('the Prodigy command setting', () => {
  it('is split like a shell would, quotes included', () => {
    expect(parseCommand('python3 -m prodigy')).toEqual(['python3', '-m', 'prodigy']);
    expect(parseCommand('"/opt/my env/bin/python" -m prodigy')).toEqual(['/opt/my env/bin/python', '-m', 'prodigy']);
  });

  it('refuses anything a shell would interpret, rather than run it', () => {
    for (const bad of ['python3 -m prodigy | tee log', 'python3 -m prodigy > out', 'prodigy && rm -rf ~', '$HOME/bin/prodigy', '   ']) {
      expect(() => parseCommand(bad), bad).toThrow(/not a plain command/);
    }
  });
});
