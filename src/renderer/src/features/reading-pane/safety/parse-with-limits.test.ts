import { describe, expect, it } from 'vitest'
import { DISPLAY_LIMITS, preflight } from './display-limits'
import { parseWithLimits } from './parse-with-limits'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s.replace(/\r?\n/g, '\r\n'))
const head = (contentType: string): string =>
  `From: a@example.org\nSubject: t\nMIME-Version: 1.0\nContent-Type: ${contentType}\n\n`

function nested(levels: number): string {
  let inner = 'Content-Type: text/plain\n\ninnermost\n'
  for (let i = levels; i > 0; i--) {
    inner = `Content-Type: multipart/mixed; boundary="l${i}"\n\n--l${i}\n${inner}\n--l${i}--\n`
  }
  return `From: a@example.org\nSubject: t\n${inner}`
}

function manyParts(count: number): string {
  const parts = Array.from({ length: count }, (_, i) => `--m\nContent-Type: text/plain\n\npart ${i}\n`)
  return `${head('multipart/mixed; boundary="m"')}${parts.join('')}--m--\n`
}

describe('display limits', () => {
  it('parses ordinary mail, nested a few levels', async () => {
    const outcome = await parseWithLimits(enc(nested(3)))
    expect(outcome.kind).toBe('ok')
    if (outcome.kind === 'ok') expect(outcome.message.text).toContain('innermost')
  })

  it('refuses nesting beyond the depth limit, before or inside the parser', async () => {
    const deep = await parseWithLimits(enc(nested(DISPLAY_LIMITS.maxDepth + 5)))
    expect(deep).toMatchObject({ kind: 'limited', reason: { code: 'too-deep' } })
    // One boundary reused at every level: the preflight cannot count it, postal-mime's own limit stops it.
    let inner = 'Content-Type: text/plain\n\nx\n'
    for (let i = 0; i < 80; i++)
      inner = `Content-Type: multipart/mixed; boundary="same"\n\n--same\n${inner}\n--same--\n`
    const reused = await parseWithLimits(enc(inner))
    expect(reused.kind).toBe('limited')
  })

  it('refuses more parts than the limit, and takes the limit itself', async () => {
    expect(preflight(enc(manyParts(DISPLAY_LIMITS.maxParts)))).toBeNull()
    const over = await parseWithLimits(enc(manyParts(DISPLAY_LIMITS.maxParts + 10)))
    expect(over).toMatchObject({ kind: 'limited', reason: { code: 'too-many-parts' } })
  })

  it('refuses messages over the size limit without parsing them', () => {
    const limits = { ...DISPLAY_LIMITS, maxBytes: 1000 }
    expect(preflight(new Uint8Array(1001), limits)?.code).toBe('too-large')
    expect(preflight(new Uint8Array(1000), limits)).toBeNull()
  })

  it('reads a 1 MiB header line, refuses headers over the header limit', async () => {
    const line = `X-Pad: ${'A'.repeat(1024 * 1024)}\n`
    const ok = await parseWithLimits(enc(`${line}${head('text/plain')}body`))
    expect(ok.kind).toBe('ok')
    const limits = { ...DISPLAY_LIMITS, maxHeaderBytes: 64 * 1024 }
    const over = await parseWithLimits(enc(`${line}${head('text/plain')}body`), limits)
    expect(over).toMatchObject({ kind: 'limited', reason: { code: 'header-too-large' } })
  })

  it('refuses HTML bigger than the sanitizer budget', async () => {
    const limits = { ...DISPLAY_LIMITS, maxHtmlChars: 10_000 }
    const raw = enc(`${head('text/html')}<p>${'x'.repeat(20_000)}</p>`)
    expect(await parseWithLimits(raw, limits)).toMatchObject({
      kind: 'limited',
      reason: { code: 'html-too-large' },
    })
  })

  it('survives broken input: bare LF, NUL bytes, bad base64 and QP, unknown charsets, no boundary', async () => {
    const inputs = [
      'Subject: lf\n\nbody\n',
      'Subject: nul\u0000x\r\n\r\nbe\u0000fore',
      `${head('text/plain; charset=x-klingon')}Qapla`,
      `${head('multipart/mixed')}--\nContent-Type: text/plain\n\nx\n`,
      'Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!%%%====@@@QUJD=RU=',
      'Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n=ZZ =G1 =\n=',
      '',
    ]
    const noBoundary = await parseWithLimits(
      enc(`${head('multipart/mixed')}--\nContent-Type: text/plain\n\nthe text\n`),
    )
    expect(noBoundary.kind === 'ok' && noBoundary.message.text).toContain('the text')
    for (const text of inputs) {
      const outcome = await parseWithLimits(new TextEncoder().encode(text))
      expect(outcome.kind, JSON.stringify(text)).toBe('ok')
    }
  })
})
