import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The Electron double is held to node_modules/electron/electron.d.ts: compiled
 * as it is, it has no errors; with a signature moved away from Electron's, it
 * does not compile. (Each case compiles the double with one line changed.)
 */
const DOUBLE = path.resolve('test/support/electron-double/main-process.ts');
const config = ts.getParsedCommandLineOfConfigFile(path.resolve('tsconfig.test.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
if (!config) throw new Error('tsconfig.test.json could not be read');
let previous: ts.Program | undefined;

function errorsWith(change: (source: string) => string): string[] {
  const host = ts.createCompilerHost(config?.options ?? {});
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, fresh) => {
    if (path.resolve(name) !== DOUBLE) return getSourceFile(name, language, onError, fresh);
    const source = change(ts.sys.readFile(DOUBLE) ?? '');
    return ts.createSourceFile(name, source, language);
  };
  const program = ts.createProgram({ rootNames: [DOUBLE], options: { ...config?.options, noEmit: true, composite: false }, host, oldProgram: previous });
  previous = program;
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

function replaced(from: string, to: string): (source: string) => string {
  return (source) => {
    if (!source.includes(from)) throw new Error(`the double no longer has: ${from}`);
    return source.replace(from, to);
  };
}

describe('the Electron double, against Electron’s type definitions', () => {
  it('compiles as it is', () => {
    expect(errorsWith((source) => source)).toEqual([]);
  });

  it('does not compile when it fires an event with arguments Electron would not pass', () => {
    const errors = errorsWith(replaced("'second-instance': [event: Electron.Event, argv: string[],", "'second-instance': [event: Electron.Event, argv: number[],"));
    expect(errors.join('\n')).toContain('fired with arguments Electron’s typings do not pass');
  });

  it('does not compile when it fires an event Electron’s class does not have', () => {
    const errors = errorsWith(replaced("    'window-all-closed': [];", "    'windows-all-closed': [];"));
    expect(errors.join('\n')).toContain('fired with arguments Electron’s typings do not pass');
  });

  it('does not compile when a member takes other arguments than Electron’s', () => {
    const errors = errorsWith(replaced("setBadgeCount: Electron.App['setBadgeCount'] = (count = 0) => {", "setBadgeCount: Electron.App['setBadgeCount'] = (count: string = '0') => {"));
    expect(errors.join('\n')).toMatch(/Type 'string' is not assignable to type 'number'/);
  });
});
