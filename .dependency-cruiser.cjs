/**
 * The core's tiers (issue 14), checked by dependency-cruiser in `npm run lint`;
 * eslint-rules/layers.js keeps the outer layers (shells, core, shared, renderer).
 *
 *   electron/core/kernel/    ports, errors, platform, the database and its migrations, the audit chain,
 *                            identity (Owner), the HTTP base, the API router, the event hub and the bus: imports only itself
 *   electron/core/remote/    the File 360 and Push clients: the kernel and their own folder, never each other
 *   electron/core/services/  what several features share: the Feature contract and its events, the assignments
 *                            repository (rows, folders, synced files, wipe stages), the outbox (the durable queue,
 *                            its Push publish kind), Prodigy's command line and database as the app reads them,
 *                            disputes, the escalation rows and the lineage record
 *   electron/core/<feature>/ the features: anything below, never another feature nor the composition root
 *   electron/core/companion.ts  builds the kernel and the clients and lists the features
 */
const BELOW = '^electron/core/(kernel|remote|services)/';
const ROOT = '^electron/core/companion\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'features-import-no-feature',
      severity: 'error',
      comment: 'A feature reacts to another through the bus’s typed events or an interface it declares, not by importing it.',
      from: { path: '^electron/core/([^/]+)/', pathNot: BELOW },
      to: { path: '^electron/core/', pathNot: [BELOW, '^electron/core/$1/', ROOT] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes load order matter and tiers meaningless; cut it with a type in the tier below or an event.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-imports-only-kernel',
      severity: 'error',
      comment: 'The kernel is the bottom tier of the core: it may import shared/ and packages, never a remote client or a feature.',
      from: { path: '^electron/core/kernel/' },
      to: { path: '^electron/core/', pathNot: '^electron/core/kernel/' },
    },
    {
      name: 'remote-imports-only-kernel',
      severity: 'error',
      comment: 'A remote client knows the kernel and its own folder only: not the features that use it, nor the other client.',
      from: { path: '^electron/core/remote/([^/]+)/' },
      to: { path: '^electron/core/', pathNot: ['^electron/core/kernel/', '^electron/core/remote/$1/'] },
    },
    {
      name: 'services-import-only-below',
      severity: 'error',
      comment: 'A shared service knows the kernel, the remote clients and the other services, never a feature: features register with it.',
      from: { path: '^electron/core/services/' },
      to: { path: '^electron/core/', pathNot: '^electron/core/(kernel|remote|services)/' },
    },
    {
      name: 'nothing-imports-the-root',
      severity: 'error',
      comment: 'companion.ts builds the app from the tiers; importing it back from inside the core would make a cycle of the whole.',
      from: { path: '^electron/core/', pathNot: '^electron/core/companion\\.ts$' },
      to: { path: '^electron/core/companion\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
