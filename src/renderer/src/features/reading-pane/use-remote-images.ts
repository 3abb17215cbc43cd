import { useEffect, useState } from 'react'
import { useWorkerLink } from '../../sync/worker-link-context'

/** A message asking for more pictures than this gets the first ones only (newsletters have ~20). */
const MAX_IMAGES = 60
const PARALLEL = 4

export type RemoteImages =
  | { state: 'idle' }
  | { state: 'loading'; done: number; total: number }
  | { state: 'ready'; images: ReadonlyMap<string, string>; failed: number; firstError: string | null }

function toDataUrl(mimeType: string, bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return `data:${mimeType};base64,${btoa(binary)}`
}

const EMPTY: ReadonlyMap<string, string> = new Map()

/**
 * The message's remote pictures, downloaded by core only once `allowed` (the user said "Show images" or
 * trusts the sender) and handed to the frame as data: URLs: the renderer itself never contacts the mail's
 * servers, and nothing is requested before consent.
 */
export function useRemoteImages(
  urls: readonly string[],
  allowed: boolean,
  /** Bumped by "Try again": the same pictures are downloaded anew. */
  attempt = 0,
): RemoteImages {
  const link = useWorkerLink()
  const wanted = allowed ? `${attempt}\n${urls.slice(0, MAX_IMAGES).join('\n')}` : ''
  const [result, setResult] = useState<{ for: string; value: RemoteImages }>({
    for: '',
    value: { state: 'idle' },
  })
  useEffect(() => {
    if (wanted === '') return
    const list = wanted.split('\n').slice(1)
    const controller = new AbortController()
    const images = new Map<string, string>()
    let failed = 0
    let firstError: string | null = null
    let done = 0
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < list.length && !controller.signal.aborted) {
        const url = list[next++]!
        try {
          const got = await link.callCore('remote.fetchImage', { url }, controller.signal)
          images.set(url, toDataUrl(got.mimeType, got.bytes))
        } catch (error) {
          failed++
          firstError ??= error instanceof Error ? error.message : String(error)
        }
        done++
        if (!controller.signal.aborted)
          setResult({ for: wanted, value: { state: 'loading', done, total: list.length } })
      }
    }
    void Promise.all(Array.from({ length: PARALLEL }, worker)).then(() => {
      if (!controller.signal.aborted)
        setResult({ for: wanted, value: { state: 'ready', images, failed, firstError } })
    })
    return () => controller.abort()
  }, [link, wanted])
  if (wanted === '') return { state: 'idle' }
  if (result.for !== wanted) return { state: 'loading', done: 0, total: wanted.split('\n').length - 1 }
  return result.value
}

export function remoteImageMap(r: RemoteImages): ReadonlyMap<string, string> {
  return r.state === 'ready' ? r.images : EMPTY
}
