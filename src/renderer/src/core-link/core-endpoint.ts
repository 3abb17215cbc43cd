import { CORE_PORT_MESSAGE } from '../../../shared/bridge'
import { MailError } from '../../../shared/errors'
import type { CoreEndpoint } from '../sync/worker-protocol'

const TOKEN_KEY = 'harbor.web-host-token'

/**
 * The web host prints a URL ending in #token=…; the token is kept in sessionStorage (so a reload keeps
 * working) and removed from the address bar so it does not linger in history or get shared by copy-paste.
 */
function takeWebHostToken(): string | undefined {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash)
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1])
    history.replaceState(null, '', window.location.pathname + window.location.search)
    return match[1]
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined
}

function receiveElectronPort(requestPort: () => void): Promise<CoreEndpoint> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent): void => {
      if (event.source !== window || event.data !== CORE_PORT_MESSAGE || !event.ports[0]) return
      window.removeEventListener('message', onMessage)
      resolve({ kind: 'port', port: event.ports[0] })
    }
    window.addEventListener('message', onMessage)
    requestPort()
  })
}

/** Finds out how this renderer reaches the core: Electron bridge if present, else the web host's socket. */
export async function resolveCoreEndpoint(): Promise<CoreEndpoint> {
  if (window.harbor?.isElectron) return receiveElectronPort(window.harbor.requestCorePort)
  const token = takeWebHostToken()
  if (!token) {
    throw new MailError(
      'UNAUTHORIZED',
      'This page was opened without its access token. Open the full address that the web host printed ' +
        '(it ends in #token=…).',
    )
  }
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return { kind: 'websocket', url: `${scheme}//${window.location.host}/rpc`, token }
}
