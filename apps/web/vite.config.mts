import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web client. JSX goes through vite 8's built-in oxc (no React plugin). `npm run build` writes
 * apps/web/dist, which apps/api serves; `npx vite` (from apps/web) is a dev server that proxies
 * the API (KYOGI_API, default http://localhost:3000) so that the client stays same-origin.
 */
const api = process.env.KYOGI_API ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    // Everything is served by the platform (LGWAN): no CDN, no external fonts, nothing inlined from elsewhere.
    modulePreload: { polyfill: false },
  },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: api, changeOrigin: false, ws: true },
      '/socket.io': { target: api, changeOrigin: false, ws: true },
      '/matrix': api,
      '/audit': api,
      '/health': api,
    },
  },
});
