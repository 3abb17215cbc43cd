import { build } from 'vite'

/**
 * One module of the app bundled as a classic script (an IIFE that sets `globalName`), for tests that run a
 * piece of the renderer inside Chromium (a page or a worker) without the whole app around it.
 */
export async function bundleForPage(entry: string, globalName: string): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry, formats: ['iife'], name: globalName, fileName: globalName },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as {
    output: { type: string; code?: string }[]
  }[]
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk')
  if (!chunk?.code) throw new Error(`the bundle of ${entry} has no code`)
  return chunk.code
}
