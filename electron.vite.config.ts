import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { APP_CSP } from './src/shared/security/content-security-policy'

/**
 * Both hosts send the CSP as a header; the built page also carries it as a meta tag so it holds even if the
 * page is ever loaded some other way. Not in dev: Vite's dev server needs inline scripts for hot reload.
 * (frame-ancestors is dropped because browsers ignore it in a meta tag.)
 */
function cspMetaTag(): Plugin {
  const policy = APP_CSP.split('; ')
    .filter((d) => !d.startsWith('frame-ancestors'))
    .join('; ')
  return {
    name: 'harbor-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: policy },
        injectTo: 'head-prepend',
      },
    ],
  }
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // A sandboxed preload must be CommonJS: Electron cannot load ESM preloads with sandbox: true.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react(), cspMetaTag()],
    worker: { format: 'es' },
    build: {
      // electron-vite leaves the renderer unminified; the page parses and compiles its whole bundle before
      // the first screen, and minified it is half the size (2.6 MB → 1.3 MB).
      // HARBOR_NO_MINIFY=1 keeps the names, for reading a CPU profile of the page or the sync worker.
      minify: !process.env.HARBOR_NO_MINIFY,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
})
