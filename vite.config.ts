import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * The Content-Security-Policy of the built lab. Everything the page loads comes from its own origin: scripts
 * (no inline script, no eval: pixi.js runs through its `unsafe-eval` polyfill), styles (one CSS file; the
 * panels set styles through the CSSOM and CodeMirror uses a constructed style sheet in a shadow root, neither of
 * which is inline markup), no plugins, no base URL, no form submissions. `img-src data:` is for the favicon
 * link (`data:,`, so the browser asks the server for no /favicon.ico).
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Adds the policy as a <meta> to index.html in the build only: the dev server injects its client script and
 * hot-reloaded styles inline, which the policy would (rightly) block. The e2e tests run the built page.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'lvs-lab-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        // stage-test.html states its own (looser for its bare pixi.js reference) policy.
        if (!ctx.filename.endsWith('index.html')) return html;
        return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }];
      },
    },
  };
}

// The browser lab: a static site built from index.html; scenarios are bundled as raw text. stage-test.html is
// a second page with the stage alone, for the stage's end-to-end test and frame-rate measurement.
export default defineConfig({
  base: './',
  plugins: [contentSecurityPolicy()],
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
