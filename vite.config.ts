import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The CSP allows no inline anything; assets stay files.
    assetsInlineLimit: 0,
    target: 'chrome130',
    reportCompressedSize: false,
  },
});
