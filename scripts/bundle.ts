import { build, type BuildOptions } from 'esbuild';

/** Native modules load from node_modules at run time; everything else is bundled. */
export const NATIVE = ['electron', 'better-sqlite3', '@napi-rs/keyring'];

const node: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  external: NATIVE,
  logLevel: 'warning',
  legalComments: 'none',
};

/** One Node entry point into one file, as the app ships it. */
export function bundleNode(entry: string, outfile: string, format: 'cjs' | 'esm'): Promise<unknown> {
  return build({
    ...node,
    entryPoints: [entry],
    outfile,
    format,
    // Bundled CommonJS dependencies (ws) still call require for Node built-ins.
    banner: format === 'esm' ? { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" } : undefined,
  });
}

/** The sandboxed preload: one CommonJS file whose only require is 'electron'. */
export function bundlePreload(entry: string, outfile: string): Promise<unknown> {
  return build({ ...node, platform: 'browser', target: 'chrome130', entryPoints: [entry], outfile, format: 'cjs', external: ['electron'] });
}
