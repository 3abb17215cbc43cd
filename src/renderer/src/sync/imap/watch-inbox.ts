import type { CoreApi } from '../engine/core-api'

export interface InboxWatch {
  stop(): void
}

const RETRY_MS = [2_000, 10_000, 30_000, 60_000]

/**
 * Keeps an IMAP account's INBOX under IDLE through core and calls `onChange` (debounced) when something
 * happens there, or when watching (re)starts, since changes may have been missed while disconnected.
 * A failed watch is retried with growing pauses until stopped; the periodic sync covers the gaps.
 */
export function watchInbox(core: CoreApi, accountId: string, onChange: () => void): InboxWatch {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const changed = (): void => {
    clearTimeout(timer)
    // A burst of EXISTS/FETCH updates (a big delivery, another client's bulk change) becomes one sync.
    timer = setTimeout(onChange, 300)
  }
  const loop = async (): Promise<void> => {
    for (let attempt = 0; !controller.signal.aborted; attempt++) {
      try {
        await core.call(
          'imap.watch',
          { accountId, folder: 'INBOX' },
          {
            signal: controller.signal,
            onChunk: (chunk) => {
              if (chunk.type === 'changed' || chunk.state === 'watching') changed()
              if (chunk.type === 'state' && chunk.state === 'watching') attempt = 0
            },
          },
        )
      } catch {
        // Cancelled (stop), or the watch failed: wait and try again.
      }
      if (controller.signal.aborted) return
      const pause = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!
      await new Promise((resolve) => setTimeout(resolve, pause))
    }
  }
  void loop()
  return {
    stop: () => {
      clearTimeout(timer)
      controller.abort()
    },
  }
}
