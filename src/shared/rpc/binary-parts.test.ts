import { describe, expect, it } from 'vitest'
import { forPosting } from './binary-parts'

describe('forPosting', () => {
  it('posts a message without bytes as it is', () => {
    const msg = { t: 'res', id: 1, ok: true, result: { headers: [{ uid: 1, subject: 'x' }] } }
    const posted = forPosting(msg, true)
    expect(posted.value).toBe(msg)
    expect(posted.transfer).toEqual([])
  })

  it('replaces a slice of a larger buffer by a compact copy and leaves the shared buffer alone', () => {
    const shared = new Uint8Array(1000).map((_, i) => i & 0xff)
    const slice = shared.subarray(100, 140)
    const msg = { t: 'chunk', id: 2, data: { n: 5, bytes: slice, end: true } }
    const posted = forPosting(msg, true)
    const data = (posted.value as typeof msg).data
    // Exactly the slice's bytes in a buffer of their own, which may move; the shared one is not offered.
    expect(data.bytes).not.toBe(slice)
    expect(data.bytes.buffer.byteLength).toBe(40)
    expect(Array.from(data.bytes)).toEqual(Array.from(slice))
    expect(posted.transfer).toEqual([data.bytes.buffer])
    expect(data.n).toBe(5)
    expect(data.end).toBe(true)
    // The sender's message is untouched: the copy went into a rebuilt tree.
    expect(msg.data.bytes).toBe(slice)
  })

  it('posts whole-buffer bytes without copying, transferred only when asked', () => {
    const whole = new Uint8Array(64).fill(3)
    const msg = { t: 'chunk', id: 3, data: whole }
    const moved = forPosting(msg, true)
    expect(moved.value).toBe(msg)
    expect(moved.transfer).toEqual([whole.buffer])
    const cloned = forPosting(msg, false)
    expect(cloned.value).toBe(msg)
    expect(cloned.transfer).toEqual([])
  })

  it('compacts a slice even when nothing is transferred (a port that always clones)', () => {
    const slice = new Uint8Array(4096).fill(9).subarray(0, 10)
    const posted = forPosting({ t: 'res', id: 4, ok: true, result: { raw: slice } }, false)
    const raw = (posted.value as { result: { raw: Uint8Array } }).result.raw
    expect(raw.buffer.byteLength).toBe(10)
    expect(posted.transfer).toEqual([])
  })
})
