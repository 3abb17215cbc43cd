import { openPop3Session, type Pop3Session } from '../core/pop3'
import type { LabInfo } from './types'

/**
 * A POP3S session as another client of a lab user sees the maildrop: for tests that compare what the
 * server holds with what the app stored. Close it without QUIT (`close()`) and it changes nothing.
 */
export function openLabPop3Session(lab: LabInfo, userName: string): Promise<Pop3Session> {
  const user = lab.users.find((u) => u.name === userName)
  if (!user) throw new Error(`the lab has no user "${userName}"`)
  return openPop3Session({
    host: lab.host,
    port: lab.ports.pop3s,
    tls: 'implicit',
    username: user.address,
    password: user.password,
    ca: lab.caPem,
  })
}

/** The UIDLs a fresh POP3 session of the user sees now (the session ends without QUIT: changes nothing). */
export async function labServerUidls(lab: LabInfo, userName: string): Promise<string[]> {
  const s = await openLabPop3Session(lab, userName)
  try {
    return (await s.uidl()).map((e) => e.uid)
  } finally {
    s.close()
  }
}
