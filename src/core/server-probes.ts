import { MailError } from '../shared/errors'
import { closeQuietly, connectImap } from './imap/connect'
import type { ServerProbes } from './services/accounts-service'
import { probeSmtp } from './smtp/probe-smtp'

const notYet = (protocol: string) => async (): Promise<string[]> => {
  throw new MailError('INTERNAL', `Testing ${protocol} servers is not available in this build yet.`)
}

/** The protocol clients `accounts.test` uses in the app and the web host. */
export const realServerProbes: ServerProbes = {
  imap: async (server, password, ca) => {
    const client = await connectImap({
      host: server.host,
      port: server.port,
      tls: server.tls,
      username: server.username,
      password,
      allowPlaintext: server.allowPlaintext,
      ...(ca ? { ca } : {}),
    })
    const capabilities = [...client.capabilities.keys()]
    await closeQuietly(client)
    return capabilities
  },
  pop3: notYet('POP3'),
  smtp: (server, password, ca) => probeSmtp(server, password, ca),
}
