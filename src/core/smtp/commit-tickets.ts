import { randomBytes } from 'node:crypto'
import { MailError } from '../../shared/errors'

/** How long a held send waits for `smtp.commit` before it gives up (and the server discards the message). */
export const COMMIT_WAIT_MS = 60_000

/**
 * Held SMTP sends waiting for the caller's go-ahead (see `smtp.send` with `hold`). A ticket is random and
 * used once; a commit for an unknown or expired ticket is a value (`false`), never a send.
 */
export class CommitTickets {
  private readonly waiting = new Map<string, () => void>()

  constructor(private readonly waitMs = COMMIT_WAIT_MS) {}

  /** A new ticket and the promise that resolves when it is committed (rejects on abort or timeout). */
  open(signal: AbortSignal): { ticket: string; committed: Promise<void> } {
    const ticket = randomBytes(16).toString('hex')
    const committed = new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        this.waiting.delete(ticket)
      }
      const onAbort = (): void => {
        done()
        reject(new MailError('CANCELLED', 'Sending was cancelled before the message was complete.'))
      }
      const timer = setTimeout(() => {
        done()
        reject(new MailError('TIMEOUT', 'The app did not confirm the send in time; nothing was sent.'))
      }, this.waitMs)
      this.waiting.set(ticket, () => {
        done()
        resolve()
      })
      if (signal.aborted) onAbort()
      else signal.addEventListener('abort', onAbort, { once: true })
    })
    // The caller may never await it (an error earlier in the send); an unhandled rejection would be noise.
    committed.catch(() => undefined)
    return { ticket, committed }
  }

  commit(ticket: string): boolean {
    const resolve = this.waiting.get(ticket)
    if (!resolve) return false
    resolve()
    return true
  }
}
