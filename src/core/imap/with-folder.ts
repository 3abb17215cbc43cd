import type { ImapFlow, MailboxObject } from 'imapflow'
import { mapErrors } from './errors'

export interface WithFolderOptions {
  readOnly?: boolean
  /** What we are doing, for error details. */
  operation: string
}

/**
 * Selects `folder` under imapflow's mailbox lock, runs `fn`, releases the lock, and maps every error to a
 * MailError. The lock keeps other callers on the same connection from selecting another folder in between.
 */
export async function withFolder<T>(
  client: ImapFlow,
  folder: string,
  opts: WithFolderOptions,
  fn: (mailbox: MailboxObject) => Promise<T>,
): Promise<T> {
  const ctx = { host: client.host, port: client.port, operation: `${opts.operation} ${folder}` }
  return mapErrors(
    ctx,
    async () => {
      const lock = await client.getMailboxLock(folder, {
        readOnly: opts.readOnly === true,
        description: opts.operation,
      })
      try {
        const mailbox = client.mailbox
        if (mailbox === false) throw new Error(`${folder} is not selected`)
        return await fn(mailbox)
      } finally {
        lock.release()
      }
    },
    client,
  )
}

/** Runs a command outside any folder and maps its errors. */
export function withClient<T>(client: ImapFlow, operation: string, fn: () => Promise<T>): Promise<T> {
  return mapErrors({ host: client.host, port: client.port, operation }, fn, client)
}
