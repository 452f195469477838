import { defineConfig } from 'vite';

// The Python server serves dist/ at /static/app/ and dist/index.html at / and /play/.
export default defineConfig({
  base: '/static/app/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The map chunk (deck.gl + luma.gl, about 230 kB gzipped) is loaded lazily after the first
    // paint; every chunk the first paint needs stays far below this.
    chunkSizeWarningLimit: 900,
  },
  server: {
    // `npm run dev` against a local server on :8000
    proxy: {
      '/ws': { target: 'ws://127.0.0.1:8000', ws: true },
      '/api': 'http://127.0.0.1:8000',
    },
  },
});
