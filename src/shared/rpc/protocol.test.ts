import { describe, expect, it } from 'vitest'
import { parseEnvelope } from './protocol'

const detail = (raw: unknown): string | undefined => {
  const result = parseEnvelope(raw)
  return result.ok ? undefined : result.error.detail
}

describe('parseEnvelope', () => {
  it('accepts every kind of envelope', () => {
    const good = [
      { t: 'req', id: 1, method: 'app.echo', params: { text: 'x' } },
      { t: 'res', id: 1, ok: true, result: null },
      { t: 'res', id: 1, ok: false, error: { code: 'TIMEOUT', message: 'late' } },
      { t: 'chunk', id: 1, data: new Uint8Array(3) },
      { t: 'cancel', id: 1 },
      { t: 'evt', name: 'debug.tick', data: { n: 1 } },
    ]
    for (const raw of good) expect(parseEnvelope(raw)).toEqual({ ok: true, message: raw })
  })

  it('checks an envelope against its own kind and says which part is wrong', () => {
    expect(detail({ t: 'chunk', id: -1, data: 1 })).toMatch(/^invalid chunk envelope: id:/)
    expect(detail({ t: 'res', id: 1, ok: false, error: { code: 'NOPE', message: 'x' } })).toMatch(
      /^invalid res envelope: error\.code:/,
    )
    // ok must be exactly true or false: anything else is neither a result nor an error.
    expect(detail({ t: 'res', id: 1, ok: 'yes', result: 1 })).toMatch(/^invalid res envelope: ok:/)
    expect(detail({ t: 'res', id: 1, ok: true })).toMatch(/^invalid res envelope: result:/)
    expect(detail({ t: 'nope', id: 1 })).toBe('unknown envelope type "nope"')
    expect(detail(null)).toBe('envelope is null')
  })

  it('gives back the id of a broken request so its sender can be told', () => {
    const result = parseEnvelope({ t: 'req', id: 7, method: '' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.requestId).toBe(7)
  })
})
