import { describe, expect, it } from 'vitest'
import { MAX_STATUS_LINE, Pop3ProtocolError, ResponseReader } from './response-reader'

interface Parsed {
  status: string[]
  body: Buffer
  ends: number
}

/** Feeds `chunks` for `responses` consecutive answers; collects what the reader reported. */
function parse(chunks: readonly Buffer[], multiline: boolean[] = [true]): Parsed[] {
  const reader = new ResponseReader()
  const results: Parsed[] = []
  const start = (i: number): void => {
    if (i >= multiline.length) return
    const r: Parsed = { status: [], body: Buffer.alloc(0), ends: 0 }
    results.push(r)
    const parts: Buffer[] = []
    reader.expect(multiline[i]!, {
      status: (line) => {
        r.status.push(line)
        if (!(multiline[i]! && line.startsWith('+OK'))) start(i + 1)
      },
      body: (c) => {
        parts.push(Buffer.from(c))
        r.body = Buffer.concat(parts)
      },
      end: () => {
        r.ends++
        start(i + 1)
      },
    })
  }
  start(0)
  // The next answer is expected from inside the callbacks, as the connection does.
  for (const c of chunks) reader.push(c)
  return results
}

/** Splits `wire` at every pair of cut points and checks each split gives `expected`. */
function everySplit(wire: string, check: (chunks: Buffer[]) => void): void {
  const buf = Buffer.from(wire, 'latin1')
  for (let i = 0; i <= buf.length; i++) {
    for (let j = i; j <= buf.length; j++) {
      check([buf.subarray(0, i), buf.subarray(i, j), buf.subarray(j)])
    }
  }
}

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1')

describe('ResponseReader', () => {
  it('reads a single-line status without its CRLF', () => {
    const [r] = parse([bytes('+OK POP3 ready <1.2@x>\r\n')], [false])
    expect(r!.status).toEqual(['+OK POP3 ready <1.2@x>'])
    expect(r!.ends).toBe(0)
  })

  it('removes exactly one stuffed dot and stops at the terminator (RFC 1939 §3)', () => {
    const wire = '+OK 40 octets\r\n..leading dot\r\nmiddle . dot\r\n...\r\n..\r\n.\r\n'
    const [r] = parse([bytes(wire)])
    expect(r!.status).toEqual(['+OK 40 octets'])
    expect(r!.body.toString('latin1')).toBe('.leading dot\r\nmiddle . dot\r\n..\r\n.\r\n')
    expect(r!.ends).toBe(1)
  })

  it('gives the same result for every way the wire is cut into three chunks', () => {
    const wire = '+OK\r\n..a\r\nb.\r\n..\r\n\r\n...\r\n..x\r\n.\r\n+OK next\r\n'
    const expected = '.a\r\nb.\r\n.\r\n\r\n..\r\n.x\r\n'
    everySplit(wire, (chunks) => {
      const [first, second] = parse(chunks, [true, false])
      expect(first!.body.toString('latin1')).toBe(expected)
      expect(first!.ends).toBe(1)
      expect(second!.status).toEqual(['+OK next'])
    })
  })

  it('handles CRLF split between chunks and the terminator split at every edge', () => {
    const chunks = ['+OK\r', '\nline one\r', '\n', '.', '.two\r\n', '.', '\r', '\n']
    const [r] = parse(chunks.map(bytes))
    expect(r!.body.toString('latin1')).toBe('line one\r\n.two\r\n')
    expect(r!.ends).toBe(1)
  })

  it('reads byte by byte', () => {
    const wire = bytes('+OK\r\n..\r\nx\r\n.\r\n')
    const chunks = [...wire].map((b) => Buffer.from([b]))
    const [r] = parse(chunks)
    expect(r!.body.toString('latin1')).toBe('.\r\nx\r\n')
    expect(r!.ends).toBe(1)
  })

  it('tolerates bare LF line ends and keeps the bytes as sent', () => {
    const [r] = parse([bytes('+OK\nSubject: x\n..dot\n\nbody\n.\n')])
    expect(r!.status).toEqual(['+OK'])
    expect(r!.body.toString('latin1')).toBe('Subject: x\n.dot\n\nbody\n')
    expect(r!.ends).toBe(1)
  })

  it('does not treat "." inside a line or ".\\r" without LF as the end', () => {
    const [r] = parse([bytes('+OK\r\na\r\n.\rb\r\nc.\r\n.\r\n')])
    expect(r!.body.toString('latin1')).toBe('a\r\n\rb\r\nc.\r\n')
    expect(r!.ends).toBe(1)
  })

  it('reads an empty body', () => {
    const [r] = parse([bytes('+OK 0 messages\r\n.\r\n')])
    expect(r!.body.length).toBe(0)
    expect(r!.ends).toBe(1)
  })

  it('gives -ERR to a multi-line command no body and keeps the rest for the next answer', () => {
    const [a, b] = parse([bytes('-ERR [IN-USE] locked\r\n+OK\r\n')], [true, false])
    expect(a!.status).toEqual(['-ERR [IN-USE] locked'])
    expect(a!.ends).toBe(0)
    expect(a!.body.length).toBe(0)
    expect(b!.status).toEqual(['+OK'])
  })

  it('keeps bytes that arrive while idle for the next answer and reports them', () => {
    const reader = new ResponseReader()
    reader.push(bytes('+OK early\r\n'))
    expect(reader.pendingBytes).toBe(11)
    const seen: string[] = []
    reader.expect(false, { status: (l) => seen.push(l), body: () => undefined, end: () => undefined })
    expect(seen).toEqual(['+OK early'])
    expect(reader.pendingBytes).toBe(0)
  })

  it('refuses a status line that never ends', () => {
    const reader = new ResponseReader()
    reader.expect(false, { status: () => undefined, body: () => undefined, end: () => undefined })
    reader.push(Buffer.alloc(MAX_STATUS_LINE, 0x41))
    expect(() => reader.push(bytes('A'))).toThrow(Pop3ProtocolError)
  })

  it('is linear: 25 MB of short, partly stuffed lines in 16 KiB chunks parse quickly and exactly', () => {
    const line = bytes('..this line starts with a dot and has forty-odd bytes\r\n')
    const plain = bytes('an ordinary line of a long message body, nothing special\r\n')
    const lines = Math.ceil((25 << 20) / (line.length + plain.length))
    const wire = Buffer.concat([
      bytes('+OK\r\n'),
      Buffer.concat(Array.from({ length: lines }, () => [line, plain]).flat()),
      bytes('.\r\n'),
    ])
    const chunks: Buffer[] = []
    for (let i = 0; i < wire.length; i += 16384) chunks.push(wire.subarray(i, i + 16384))
    const reader = new ResponseReader()
    let size = 0
    let ended = false
    const started = performance.now()
    reader.expect(true, {
      status: () => undefined,
      body: (c) => (size += c.length),
      end: () => (ended = true),
    })
    for (const c of chunks) reader.push(c)
    const ms = performance.now() - started
    expect(ended).toBe(true)
    // One dot fewer per stuffed line, and not a byte more.
    expect(size).toBe(lines * (line.length - 1 + plain.length))
    // A guard against quadratic buffering (normally ~0.2 s), loose for a shared CI machine.
    expect(ms).toBeLessThan(4000)
  })
})
