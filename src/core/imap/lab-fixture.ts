import { inject } from 'vitest'
import { attachLab, startLab, type LabInfo, type LabTools } from '../../lab/lab'
import type { ImapAccountConfig, ImapTimeouts } from './types'

/** A lab for one test file: the suite's shared lab when the global setup provides one, else a private one. */
export interface LabHandle {
  lab: LabTools
  /** Stops the lab if this file started it; a no-op for the shared one. */
  release(): Promise<void>
}

function injectedLab(): LabInfo | undefined {
  // Read through a plain signature: the key's type is declared by the lab's global setup, which may be absent.
  const value = (inject as unknown as (key: string) => unknown)('lab')
  return typeof value === 'object' && value !== null && 'caPem' in value ? (value as LabInfo) : undefined
}

/** Attaches to the lab of `inject('lab')`, or starts one when the run has no global setup. */
export async function useLab(): Promise<LabHandle> {
  const info = injectedLab()
  if (info !== undefined) return { lab: attachLab(info), release: async () => undefined }
  const lab = await startLab()
  return { lab, release: () => lab.stop() }
}

/** Account settings for a lab user over implicit TLS, trusting exactly the lab's CA. */
export function labAccount(
  lab: LabTools,
  userName: string,
  over: Partial<ImapAccountConfig> = {},
  timeouts?: ImapTimeouts,
): ImapAccountConfig {
  const user = lab.user(userName)
  return {
    host: lab.host,
    port: lab.ports.imaps,
    tls: 'implicit',
    username: user.address,
    password: user.password,
    ca: [lab.caPem],
    ...(timeouts === undefined ? {} : { timeouts }),
    ...over,
  }
}
