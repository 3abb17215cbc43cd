import { startDovecot, stopDovecot, killDovecot } from './dovecot'
import { startPostfix, stopPostfix } from './postfix'
import type { LabInfo } from './types'

/** The daemons of a lab, addressed only through the paths in its LabInfo (works from any process). */
export function dovecotOf(info: LabInfo): {
  start(): Promise<void>
  stop(): Promise<void>
  kill(): Promise<void>
  restart(): Promise<void>
} {
  const inst = {
    conf: info.paths.dovecotConf,
    baseDir: info.paths.dovecotBaseDir,
    log: info.paths.dovecotLog,
    greetings: [
      [info.ports.imap, '* OK'],
      [info.ports.pop3, '+OK'],
      [info.ports.lmtp, '220 '],
    ] as const,
  }
  return {
    start: () => startDovecot(inst),
    stop: () => stopDovecot(inst),
    kill: () => killDovecot(inst),
    /** Stops (or finds already dead) and starts again with the same config and data. */
    restart: async () => {
      await stopDovecot(inst)
      await startDovecot(inst)
    },
  }
}

export function postfixOf(info: LabInfo): { start(): Promise<void>; stop(): Promise<void> } {
  const inst = {
    configDir: info.paths.postfixDir,
    queueDir: info.paths.postfixQueueDir,
    log: info.paths.postfixLog,
    plainPort: info.ports.submission,
    tlsPort: info.ports.submissions,
  }
  return { start: () => startPostfix(inst), stop: () => stopPostfix(inst) }
}
