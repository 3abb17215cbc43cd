import { MailError } from '../shared/errors'
import type { ServerProbes } from './services/accounts-service'
import { probeSmtp } from './smtp/probe-smtp'

const notYet = (protocol: string) => async (): Promise<string[]> => {
  throw new MailError('INTERNAL', `Testing ${protocol} servers is not available in this build yet.`)
}

/** The protocol clients `accounts.test` uses in the app and the web host. */
export const realServerProbes: ServerProbes = {
  imap: notYet('IMAP'),
  pop3: notYet('POP3'),
  smtp: (server, password, ca) => probeSmtp(server, password, ca),
}
