import type { FetchMessageObject } from 'imapflow'
import type { LabTools } from '../../src/lab/lab'

/**
 * What another device sees in a server folder: `pick` of each message (none if the folder does not
 * exist). A fresh IMAP login each time, so it never sees a cached state.
 */
export async function onServer<T>(
  lab: LabTools,
  user: string,
  path: string,
  pick: (m: FetchMessageObject) => T,
): Promise<T[]> {
  const device = await lab.otherDevice(user)
  try {
    const box = await device.mailboxOpen(path).catch(() => null)
    if (!box) return []
    const out: T[] = []
    if (box.exists > 0)
      for await (const m of device.fetch('1:*', { envelope: true, flags: true })) out.push(pick(m))
    return out
  } finally {
    await device.logout()
  }
}

/** The subjects in a server folder, sorted. */
export async function subjectsOnServer(lab: LabTools, user: string, path: string): Promise<string[]> {
  return (await onServer(lab, user, path, (m) => m.envelope?.subject ?? '')).sort()
}
