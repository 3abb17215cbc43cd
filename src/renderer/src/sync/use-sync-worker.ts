import { useCallback, useEffect, useRef, useState } from 'react'
import type { MailErrorData } from '../../../shared/errors'
import { resolveCoreEndpoint } from '../core-link/core-endpoint'
import type { CoreInfo, FromWorker, ToWorker } from './worker-protocol'

export interface CoreLinkState {
  state: 'connecting' | 'connected' | 'disconnected'
  /** Only the writer syncs and writes the store; other windows read what it writes. */
  role: 'writer' | 'reader'
  info?: CoreInfo
  error?: MailErrorData
}

export interface PingResult {
  text: string
  roundTripMs: number
}

/**
 * Starts the sync worker once per page and tells it how to reach the core. The worker, not the page, owns
 * the core connection and (in later work) the Dexie store, so sync never runs on the UI thread.
 */
export function useSyncWorker(): { link: CoreLinkState; ping: (text: string) => Promise<PingResult> } {
  const [link, setLink] = useState<CoreLinkState>({ state: 'connecting', role: 'reader' })
  const workerRef = useRef<Worker | undefined>(undefined)
  const pending = useRef(new Map<number, (r: FromWorker) => void>())
  const nextId = useRef(1)

  useEffect(() => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'sync' })
    workerRef.current = worker
    const post = (msg: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(msg, transfer)
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const msg = event.data
      if (msg.type === 'core-state') {
        setLink((prev) => ({ role: prev.role, state: msg.state, info: msg.info, error: msg.error }))
      } else if (msg.type === 'role') {
        setLink((prev) => ({ ...prev, role: msg.role }))
      } else {
        pending.current.get(msg.id)?.(msg)
        pending.current.delete(msg.id)
      }
    }
    resolveCoreEndpoint()
      .then((endpoint) =>
        post({ type: 'connect', endpoint }, endpoint.kind === 'port' ? [endpoint.port] : []),
      )
      .catch((error: unknown) => {
        const data: MailErrorData =
          error instanceof Error && 'code' in error
            ? { code: (error as { code: MailErrorData['code'] }).code, message: error.message }
            : { code: 'INTERNAL', message: 'Could not find the mail engine.' }
        setLink((prev) => ({ role: prev.role, state: 'disconnected', error: data }))
      })
    return () => worker.terminate()
  }, [])

  const ping = useCallback((text: string): Promise<PingResult> => {
    const worker = workerRef.current
    if (!worker) return Promise.reject(new Error('The sync worker is not running.'))
    const id = nextId.current++
    return new Promise((resolve, reject) => {
      pending.current.set(id, (reply) => {
        if (reply.type === 'pong') resolve({ text: reply.text, roundTripMs: reply.roundTripMs })
        else if (reply.type === 'ping-failed') reject(new Error(reply.error.message))
      })
      const msg: ToWorker = { type: 'ping', id, text }
      worker.postMessage(msg)
    })
  }, [])

  return { link, ping }
}
