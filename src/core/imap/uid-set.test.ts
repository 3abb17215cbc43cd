import { describe, expect, it } from 'vitest'
import { backoffDelay } from './backoff'
import { imapflowOptions } from './connect'
import { snippetFromBytes } from './snippet'
import { descendingBatches, parseSequenceSet, toSequenceSet } from './uid-set'

describe('uid sets', () => {
  it('compresses and expands sequence sets', () => {
    expect(toSequenceSet([9, 1, 2, 3, 7, 10, 3])).toBe('1:3,7,9:10')
    expect(parseSequenceSet('1:3,7,10:9')).toEqual([1, 2, 3, 7, 9, 10])
    expect(toSequenceSet([])).toBe('')
  })

  it('batches newest first', () => {
    expect(descendingBatches([1, 2, 3, 4, 5, 6, 7], 2, 3)).toEqual([
      [7, 6],
      [5, 4, 3],
      [2, 1],
    ])
  })
})

describe('backoff', () => {
  it('grows exponentially, stays in the upper half of each step, and is capped', () => {
    expect(backoffDelay(0, { initialMs: 100 }, () => 0)).toBe(50)
    expect(backoffDelay(3, { initialMs: 100 }, () => 1)).toBe(800)
    expect(backoffDelay(30, { initialMs: 100, maxMs: 5_000 }, () => 1)).toBe(5_000)
  })
})

describe('imapflowOptions', () => {
  const base = { host: 'h', port: 143, username: 'u', password: 'p' }
  it('makes STARTTLS mandatory and always verifies certificates', () => {
    const o = imapflowOptions({ ...base, tls: 'starttls', ca: ['PEM'] })
    expect(o).toMatchObject({ secure: false, doSTARTTLS: true, qresync: true, disableCompression: false })
    expect(o.tls).toMatchObject({ rejectUnauthorized: true, ca: ['PEM'] })
    expect(imapflowOptions({ ...base, tls: 'implicit' })).toMatchObject({
      secure: true,
      doSTARTTLS: undefined,
    })
    expect(imapflowOptions({ ...base, tls: 'none', allowPlaintext: true })).toMatchObject({
      doSTARTTLS: false,
    })
  })
})

describe('snippetFromBytes', () => {
  it('decodes a cut base64 / quoted-printable prefix and legacy charsets', () => {
    const b64 = Buffer.from(Buffer.from('Привет, мир! Как дела?', 'utf8').toString('base64').slice(0, 22))
    expect(
      snippetFromBytes(b64, { part: '1', type: 'text/plain', charset: 'utf-8', encoding: 'base64' }, false),
    ).toBe('Привет,')
    const qp = Buffer.from('Gr=C3=BC=C3=9Fe aus M=C3=BCnchen=\r\n und =C3')
    expect(
      snippetFromBytes(
        qp,
        { part: '1', type: 'text/plain', charset: 'utf-8', encoding: 'quoted-printable' },
        false,
      ),
    ).toBe('Grüße aus München und')
    const koi = Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4])
    expect(
      snippetFromBytes(koi, { part: '1', type: 'text/plain', charset: 'koi8-r', encoding: '8bit' }, true),
    ).toBe('Привет')
    const html = Buffer.from('<style>p{}</style><p>Hello&nbsp;<b>world</b></p>')
    expect(
      snippetFromBytes(html, { part: '1', type: 'text/html', charset: 'utf-8', encoding: '7bit' }, true),
    ).toBe('Hello world')
  })
})
