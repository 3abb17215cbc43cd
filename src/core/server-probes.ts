import type { ServerSettings } from '../shared/model/account'
import { closeQuietly, connectImap } from './imap/connect'
import { openPop3Session } from './pop3'
import type { ServerProbes } from './services/accounts-service'
import { probeSmtp } from './smtp/probe-smtp'

/** What both mailbox protocols' connect functions take: the server, the password, an extra trusted CA. */
function loginOf(server: ServerSettings, password: string, ca: string[] | undefined) {
  return {
    host: server.host,
    port: server.port,
    tls: server.tls,
    username: server.username,
    password,
    allowPlaintext: server.allowPlaintext,
    ...(ca ? { ca } : {}),
  }
}

/** The protocol clients `accounts.test` uses in the app and the web host. */
export const realServerProbes: ServerProbes = {
  imap: async (server, password, ca) => {
    const client = await connectImap(loginOf(server, password, ca))
    const capabilities = [...client.capabilities.keys()]
    await closeQuietly(client)
    return capabilities
  },
  pop3: async (server, password, ca, signal) => {
    const session = await openPop3Session(loginOf(server, password, ca), signal)
    const capabilities = [...session.capabilities.raw.keys()]
    // QUIT after no DELE changes nothing on the server (RFC 1939 §6); a failed QUIT is no test failure.
    await session.quit().catch(() => session.close())
    return capabilities
  },
  smtp: (server, password, ca) => probeSmtp(server, password, ca),
}
