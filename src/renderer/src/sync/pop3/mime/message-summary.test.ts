import { describe, expect, it } from 'vitest'
import { summarizeMessage } from './message-summary'
import { decoderFor } from './text-decoding'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n')

describe('summarizeMessage', () => {
  it('reads a plain message: decoded subject, addresses, date, ids and snippet', () => {
    const raw = enc(
      crlf(`Return-Path: <x@y>
From: =?UTF-8?B?Wm/DqyBEdXBvbnQ=?= <zoe@example.org>
To: "Smith, Bob" <bob@example.org>, carol@example.org (Carol C), Team: dan@example.org, eve@example.org;
Cc: =?ISO-8859-1?Q?Andr=E9?= <andre@example.org>
Subject: =?UTF-8?Q?Caf=C3=A9?=
 =?UTF-8?Q?_ouvert?= today
Date: Fri, 27 Nov 2026 10:00:00 +0100 (CET)
Message-ID: <abc@example.org>
References: <root@x> <mid@x>
In-Reply-To: <mid@x>

Hello there,
> quoted line
the end.
`),
    )
    const s = summarizeMessage(raw)
    expect(s.subject).toBe('Café ouvert today')
    expect(s.from).toEqual([{ name: 'Zoë Dupont', address: 'zoe@example.org' }])
    expect(s.to).toEqual([
      { name: 'Smith, Bob', address: 'bob@example.org' },
      { name: 'Carol C', address: 'carol@example.org' },
      { name: '', address: 'dan@example.org' },
      { name: '', address: 'eve@example.org' },
    ])
    expect(s.cc).toEqual([{ name: 'André', address: 'andre@example.org' }])
    expect(s.date).toBe(Date.UTC(2026, 10, 27, 9, 0, 0))
    expect(s.messageId).toBe('abc@example.org')
    expect(s.references).toEqual(['root@x', 'mid@x'])
    expect(s.inReplyTo).toBe('mid@x')
    expect(s.snippet).toBe('Hello there, the end.')
    expect(s.hasAttachments).toBe(false)
  })

  it('walks multipart mail: snippet from the text part (base64, charset), attachments detected', () => {
    const body = btoa(String.fromCharCode(...enc('Grüße aus Köln\nzweite Zeile')))
    const raw = enc(
      crlf(`From: a@x
Subject: parts
Content-Type: multipart/mixed; boundary="outer"

preamble
--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

${body}
--inner
Content-Type: text/html; charset=utf-8

<p>html</p>
--inner--
--outer
Content-Type: application/pdf; name="r.pdf"
Content-Transfer-Encoding: base64

JVBERi0=
--outer--
`),
    )
    const s = summarizeMessage(raw)
    expect(s.snippet).toBe('Grüße aus Köln zweite Zeile')
    expect(s.hasAttachments).toBe(true)
  })

  it('finds delimiters in the bytes: first one opening the body, near misses, dashes in text, bare LF', () => {
    const raw = enc(`From: a@x
Content-Type: multipart/mixed; boundary="b-1"

--b-1
Content-Type: application/octet-stream; name="x.bin"

--b-- not a delimiter
-b-1 not one either
--b-1
Content-Type: text/plain

-- dashes --- in the text
--b-
--b-1--
Content-Type: text/plain

after the close
`)
    const s = summarizeMessage(raw)
    expect(s.snippet).toBe('-- dashes --- in the text --b-')
    expect(s.hasAttachments).toBe(true)
  })

  it('stops at an attachment after the text part, and only then: later parts cannot change the summary', () => {
    const part = (headers: string, body: string) => `--b\n${headers}\n\n${body}\n`
    const text = part('Content-Type: text/plain', 'first text')
    const file = part('Content-Type: application/pdf\nContent-Disposition: attachment', 'JVBERi0=')
    const html = part('Content-Type: text/html', '<p>html</p>')
    const message = (...parts: string[]) =>
      enc(`Content-Type: multipart/mixed; boundary=b\n\n${parts.join('')}--b--\n`)
    expect(summarizeMessage(message(text, file, part('Content-Type: text/plain', 'later')))).toMatchObject({
      snippet: 'first text',
      hasAttachments: true,
    })
    // HTML first: a text/plain part after the attachment still wins.
    expect(summarizeMessage(message(html, file, part('Content-Type: text/plain', 'plain')))).toMatchObject({
      snippet: 'plain',
      hasAttachments: true,
    })
    // A part whose header runs into the next delimiter ends there: what it has of a header still counts.
    const cut = '--b\nContent-Type: text/plain\nContent-Disposition: attachment\n'
    expect(summarizeMessage(message(text, cut, html))).toMatchObject({ hasAttachments: true })
    expect(summarizeMessage(message(text, '--b\nContent-Type: text/plain\n', file))).toMatchObject({
      snippet: 'first text',
      hasAttachments: true,
    })
    // The 201st part is past the walk's limit: an attachment there is not seen, early stop or not.
    const inline = part('Content-Type: image/png; name="x.png"\nContent-Disposition: inline', 'iVBO')
    const many = [text, ...Array<string>(199).fill(inline), file]
    expect(summarizeMessage(message(...many))).toMatchObject({ snippet: 'first text', hasAttachments: false })
    expect(summarizeMessage(message(...many.slice(0, -2), file))).toMatchObject({ hasAttachments: true })
  })

  it('falls back to an HTML part, strips tags, decodes quoted-printable in windows-1252', () => {
    const raw = enc(
      crlf(`From: a@x
Content-Type: text/html; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

<html><head><style>p{}</style></head><body><p>Price: 5 =80 &amp; more</p></body></html>
`),
    )
    expect(summarizeMessage(raw).snippet).toBe('Price: 5 € & more')
  })

  it('reads raw UTF-8 headers (RFC 6532) and LF-only mail', () => {
    const s = summarizeMessage(enc('From: Jürgen <j@x>\nSubject: Grüße\n\nHallo\n'))
    expect(s.subject).toBe('Grüße')
    expect(s.from[0]?.name).toBe('Jürgen')
    expect(s.snippet).toBe('Hallo')
  })

  it('never throws on garbage, truncated or empty input', () => {
    for (const input of [
      '',
      '\r\n\r\n',
      'no header at all',
      'Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain',
    ]) {
      const s = summarizeMessage(enc(input))
      expect(typeof s.subject).toBe('string')
    }
    const random = new Uint8Array(5000).map((_, i) => (i * 7919) % 256)
    expect(() => summarizeMessage(random)).not.toThrow()
  })
})

describe('decoderFor', () => {
  it('gives ISO-2022-JP a new decoder each time (Chromium keeps its escape state between calls), caches the rest', () => {
    // Real bytes: ESC $ B, こんにちは in JIS X 0208, ESC ( B. See e2e/summary-charsets.e2e.ts for Chromium.
    const jis = new Uint8Array([
      0x1b, 0x24, 0x42, 0x24, 0x33, 0x24, 0x73, 0x24, 0x4b, 0x24, 0x41, 0x24, 0x4f, 0x1b, 0x28, 0x42,
    ])
    const first = decoderFor('ISO-2022-JP')
    expect(first.decode(jis)).toBe('こんにちは')
    const second = decoderFor('iso-2022-jp')
    expect(second).not.toBe(first)
    expect(second.decode(jis)).toBe('こんにちは')
    expect(decoderFor('utf-8')).toBe(decoderFor('UTF-8'))
  })
})
