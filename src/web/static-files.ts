import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { APP_SECURITY_HEADERS } from '../shared/security/content-security-policy'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

/** Serves the renderer build read-only, with the same CSP as the Electron shell. Nothing outside `root` is reachable. */
export function createStaticHandler(rendererDir: string) {
  const root = normalize(rendererDir + sep)
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', ...APP_SECURITY_HEADERS }).end()
      return
    }
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    } catch {
      res.writeHead(400, APP_SECURITY_HEADERS).end()
      return
    }
    const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname))
    if (!file.startsWith(root) || pathname.includes('\0')) {
      res.writeHead(404, APP_SECURITY_HEADERS).end()
      return
    }
    try {
      const body = await readFile(file)
      res.writeHead(200, {
        ...APP_SECURITY_HEADERS,
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        // Hashed asset names are immutable; index.html must always be fresh after a rebuild.
        'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    } catch {
      res.writeHead(404, { ...APP_SECURITY_HEADERS, 'Content-Type': 'text/plain' }).end('Not found')
    }
  }
}
