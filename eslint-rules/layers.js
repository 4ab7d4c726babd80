/**
 * Who may import whom (DESIGN §3), in the spirit of VS Code's import-pattern rule:
 *   electron/core/** and electron/host/**  plain Node: never 'electron', never the glue, never the renderer
 *   renderer/**                           a web page: no Node built-ins, no native modules, nothing from electron/
 *   shared/**                             used by both sides, so it imports neither
 *   electron/*.ts (the glue)              anything but the renderer
 *   sandbox/**                            stand-ins for remote systems: they know the wire contract, not the app
 *   test/**, scripts/**, bench/**         plain Node: never 'electron' or the glue at run time (types are fine);
 *                                         tests run the bundled glue on the Electron double instead
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
const NATIVE = ['electron', 'better-sqlite3', '@napi-rs/keyring'];

function relativeToRoot(file) {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

function layerOf(rel) {
  if (rel.startsWith('electron/core/')) return 'core';
  if (rel.startsWith('electron/host/')) return 'host';
  if (rel.startsWith('electron/')) return 'glue';
  if (rel.startsWith('renderer/')) return 'renderer';
  if (rel.startsWith('shared/')) return 'shared';
  if (rel.startsWith('sandbox/')) return 'sandbox';
  if (rel.startsWith('test/') || rel.startsWith('scripts/') || rel.startsWith('bench/')) return 'tooling';
  return null;
}

const isPackage = (spec, name) => spec === name || spec.startsWith(`${name}/`);

/** A glue module that loads 'electron' itself (policy.ts, plain functions, does not). */
function loadsElectron(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  const file = [base, `${base}.ts`].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
  return file ? /from 'electron'|require\('electron'\)/.test(fs.readFileSync(file, 'utf8')) : true;
}
const isBuiltin = (spec) => BUILTINS.has(spec) || spec.startsWith('node:');
const nativeIn = (spec) => NATIVE.find((name) => isPackage(spec, name));

/** Modules of shared/ that are built on zod; the renderer may only take types from them. */
const ZOD_BACKED = /^shared\/api\/(contract|schemas\/)/;

/**
 * Returns the reason an import breaks the layering, or null. `typeOnly` is true
 * for `import type`, which leaves nothing behind at run time.
 */
export function layerViolation(fromFile, spec, typeOnly = false) {
  const from = layerOf(relativeToRoot(fromFile));
  if (!from) return null;
  const target = spec.startsWith('.') ? layerOf(relativeToRoot(path.resolve(path.dirname(fromFile), spec))) : null;

  if (from === 'core' || from === 'host') {
    if (isPackage(spec, 'electron')) return `${from === 'core' ? 'electron/core' : 'electron/host'} runs in plain Node and may not import 'electron'; pass what it needs in as a port from the glue in electron/.`;
    if (target === 'glue') return 'The core and the browser shell may not import the Electron glue in electron/; the glue imports them.';
    if (target === 'renderer') return 'Main-side code may not import the renderer; share types through shared/.';
    if (from === 'core' && target === 'host') return 'electron/core may not import the browser shell.';
  }
  if (from === 'renderer') {
    if (isBuiltin(spec)) return `The renderer is a web page and may not import the Node built-in '${spec}'; ask main through window.companion.`;
    const native = nativeIn(spec);
    if (native) return `The renderer may not import '${native}'; ask main through window.companion.`;
    if (target && target !== 'renderer' && target !== 'shared') return 'The renderer may import only renderer/ and shared/.';
    const zodBacked = spec === 'zod' || (spec.startsWith('.') && ZOD_BACKED.test(relativeToRoot(path.resolve(path.dirname(fromFile), spec))));
    if (zodBacked && !typeOnly) {
      return "The renderer may only use `import type` from zod and the zod-backed contract: zod's code generator needs eval, which the renderer's CSP forbids. Put plain values in a zod-free module of shared/.";
    }
  }
  if (from === 'shared') {
    if (isBuiltin(spec)) return `shared/ is loaded by the renderer too, so it may not import the Node built-in '${spec}'.`;
    const native = nativeIn(spec);
    if (native) return `shared/ may not import '${native}'.`;
    if (target && target !== 'shared') return 'shared/ may not import electron/ or renderer/.';
  }
  if (from === 'tooling' && !typeOnly && (isPackage(spec, 'electron') || (target === 'glue' && loadsElectron(fromFile, spec)))) {
    return "Tests and scripts run in plain Node, where loading 'electron' (also through the glue in electron/) starts a download of its binary (Electron ≥ 42). Run the bundled shell on the Electron double (test/support/electron-double) instead.";
  }
  if (from === 'glue' && target === 'renderer') return 'Electron glue may not import the renderer; share types through shared/.';
  if (from === 'sandbox' && target && target !== 'sandbox') {
    return 'sandbox/ stands in for remote servers and may only know the wire contract: it may not import the app (electron/, renderer/, shared/).';
  }
  if (from !== 'sandbox' && from !== 'tooling' && target === 'sandbox' && from !== null) return 'The app may not import sandbox/; tests and scripts start it.';
  return null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer rules of DESIGN.md §3' },
    schema: [],
    messages: { layer: '{{reason}}' },
  },
  create(context) {
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const specifiers = node.specifiers ?? [];
      const typeOnly =
        node.importKind === 'type' ||
        node.exportKind === 'type' ||
        (specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
      const reason = layerViolation(context.filename, source.value, typeOnly);
      if (reason) context.report({ node, messageId: 'layer', data: { reason } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0]);
        }
      },
    };
  },
};
