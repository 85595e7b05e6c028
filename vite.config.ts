import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser lab: a static site built from index.html; scenarios are bundled as raw text. stage-test.html is
// a second page with the stage alone, for the stage's end-to-end test and frame-rate measurement.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        'stage-test': fileURLToPath(new URL('./stage-test.html', import.meta.url)),
      },
    },
  },
  server: { port: 5173, host: '127.0.0.1' },
  preview: { port: 4173, host: '127.0.0.1' },
});
