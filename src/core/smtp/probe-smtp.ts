import type { ServerSettings } from '../../shared/model/account'
import { createSmtpTransport } from './smtp-transport'
import { toSmtpMailError } from './smtp-errors'

/** Connects, authenticates and disconnects: the account wizard's check of an outgoing server. */
export async function probeSmtp(server: ServerSettings, password: string, ca?: string[]): Promise<string[]> {
  const transport = createSmtpTransport({ server, password, ca, timeoutMs: 20_000 })
  try {
    await transport.verify()
    return ['AUTH']
  } catch (error) {
    throw toSmtpMailError(error, server.host)
  } finally {
    transport.close()
  }
}
