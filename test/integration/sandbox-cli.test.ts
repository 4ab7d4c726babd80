import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../support/tmp';

// Node 22 (the one running the tests) with tsx as a loader, whatever `node` is first
// on PATH; not tsx's CLI, which runs the script in a grandchild and relays signals.
const TSX = ['--import', 'tsx', 'sandbox/cli.ts'];

/** Runs `npm run sandbox -- …` until it says it is ready; resolves with everything it printed. */
function startCli(args: string[]): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, [...TSX, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl+C to stop.')) resolve({ child, output });
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`The sandbox CLI exited (${code}) before it was ready:\n${output}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('npm run sandbox', () => {
  it('starts File 360, says how to sign in and point the app at it, keeps state and stops on Ctrl+C', async () => {
    const dataDir = tempDir();
    const first = await startCli(['file360', '--port', '0', '--data-dir', dataDir]);
    const url = /Base URL:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(first.output)?.[1] ?? '';
    expect(first.output).toContain('Tenant:     acme');
    expect(first.output).toContain('Client id:  annotator-companion');
    expect(first.output).toContain('ana / ana-password');
    expect(first.output).toContain('sam / sam-password');
    expect(first.output).toContain(`npm start -- --server ${url} --tenant acme`);
    expect(first.output).toContain(path.join(dataDir, 'file360'));
    const state = (await (await fetch(`${url}/__sandbox/state`)).json()) as { assignments: unknown[] };
    expect(state.assignments).toHaveLength(3);
    first.child.kill('SIGINT');
    expect(await exited(first.child)).toBe(0);

    const second = await startCli(['--port', '0', '--data-dir', dataDir]);
    expect(second.output).toContain('state from an earlier run');
    second.child.kill('SIGINT');
    expect(await exited(second.child)).toBe(0);
  });

  it('explains itself and refuses an unknown service', () => {
    const help = spawnSync(process.execPath, [...TSX, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('file360');
    const wrong = spawnSync(process.execPath, [...TSX, 'push-typo'], { encoding: 'utf8' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('Unknown service "push-typo"');
  });
});
