import { describe, expect, it } from 'vitest'
import { wireBytes } from './wire-bytes'

describe('wireBytes', () => {
  it('views the same memory as a Buffer slice, without copying', () => {
    const buffer = Buffer.from('0123456789')
    const slice = buffer.subarray(2, 6)
    const view = wireBytes(slice)
    expect(view.buffer).toBe(slice.buffer)
    expect(view.byteOffset).toBe(slice.byteOffset)
    expect(new TextDecoder().decode(view)).toBe('2345')
  })

  it('copies bytes backed by a SharedArrayBuffer into a plain ArrayBuffer', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(4))
    shared.set([1, 2, 3, 4])
    const view = wireBytes(shared.subarray(1))
    expect(view.buffer).toBeInstanceOf(ArrayBuffer)
    expect(Array.from(view)).toEqual([2, 3, 4])
  })
})
