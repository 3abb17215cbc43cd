/**
 * Cases that attack the parser rather than the renderer: broken or absent boundaries (RFC 2046 §5.1.1),
 * nesting and part counts that grow a parse tree without bound, transfer encodings that do not decode
 * (RFC 2045 §6.7, §6.8), charsets that do not exist or lie, raw 8-bit and NUL bytes where RFC 5322 allows
 * neither, a 1 MiB header line (RFC 5322 §2.1.1 caps lines at 998 octets), bare LF line ends, and sizes
 * far beyond everyday mail.
 */
import type { CaseSpec } from './build'
import { base64Lines, CRLF, entity, multipartBody, pseudoRandomBytes, rawMessage } from './mime'
import { execPayload, markerOf, pad2 } from './payload'

const plain = 'text/plain; charset=utf-8'

/** 60 levels of multipart/mixed: beyond the display parser's depth limit of 32. */
export const DEEP_NESTING_LEVELS = 60
/** 3,000 parts: beyond the display parser's part limit of 1,000. */
export const MANY_PARTS = 3000
/** The very large case: a text part and a ~15 MiB attachment, ~20 MiB on the wire. */
/** Recipients in the To field of the huge-header-values case. */
export const HUGE_RECIPIENTS = 10_000
export const LARGE_ATTACHMENT_BYTES = 15 * 1024 * 1024

export const BROKEN_MIME_CASES: readonly CaseSpec[] = [
  {
    key: 'missing-boundary',
    title: 'multipart without a boundary parameter',
    make: (_c, n, std) =>
      rawMessage(
        std.list({ contentType: 'multipart/mixed' }),
        `--\r\nContent-Type: text/plain\r\n\r\n${markerOf(n)}\r\n--\r\n`,
      ),
  },
  {
    key: 'wrong-boundary',
    title: 'declared boundary never used',
    make: (_c, n, std) =>
      rawMessage(
        std.list({ contentType: 'multipart/mixed; boundary="declared"' }),
        `${markerOf(n)}\r\n--actual\r\nContent-Type: text/html\r\n\r\n<b>never a part</b>\r\n--actual--\r\n`,
      ),
  },
  {
    key: 'unterminated-multipart',
    title: 'multipart cut off before its closing delimiter',
    make: (_c, n, std) =>
      rawMessage(
        std.list({ contentType: 'multipart/mixed; boundary="cut"' }),
        `--cut\r\nContent-Type: text/plain\r\n\r\n${markerOf(n)}\r\n--cut\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK`,
      ),
  },
  {
    key: 'deep-nesting',
    title: `multipart nested ${DEEP_NESTING_LEVELS} levels deep`,
    expect: 'limited',
    make: (_c, n, std) => {
      let inner = entity({ 'Content-Type': plain }, `${markerOf(n)}\n`)
      for (let level = DEEP_NESTING_LEVELS; level > 0; level--) {
        inner = entity(
          { 'Content-Type': `multipart/mixed; boundary="lvl${level}"` },
          multipartBody(`lvl${level}`, [inner]),
        )
      }
      const [head, ...body] = inner.split(`${CRLF}${CRLF}`)
      return rawMessage(
        std.list({ with: [['Content-Type', head!.replace(/^Content-Type: /, '')]] }),
        body.join(`${CRLF}${CRLF}`),
      )
    },
  },
  {
    key: 'many-parts',
    title: `${MANY_PARTS} MIME parts`,
    expect: 'limited',
    make: (_c, n, std) =>
      rawMessage(
        std.list({ contentType: 'multipart/mixed; boundary="many"' }),
        multipartBody('many', [
          entity({ 'Content-Type': plain }, `${markerOf(n)}\n`),
          ...Array.from({ length: MANY_PARTS - 1 }, (_, i) =>
            entity(
              { 'Content-Type': 'text/plain', 'Content-Disposition': `attachment; filename="p${i}.txt"` },
              `part ${i}`,
            ),
          ),
        ]),
      ),
  },
  {
    key: 'nested-rfc822',
    title: 'message/rfc822 nested ten times',
    make: (_c, n, std) => {
      let inner = `Subject: innermost\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n`
      for (let i = 0; i < 10; i++)
        inner = `Subject: level ${i}\r\nContent-Type: message/rfc822\r\n\r\n${inner}`
      return rawMessage(
        std.list({ contentType: 'multipart/mixed; boundary="rfc822"' }),
        multipartBody('rfc822', [
          entity({ 'Content-Type': plain }, `${markerOf(n)}\n`),
          entity({ 'Content-Type': 'message/rfc822' }, inner),
        ]),
      )
    },
  },
  {
    key: 'invalid-base64',
    title: 'invalid base64',
    make: (_c, n, std) =>
      rawMessage(
        std.list({ contentType: 'multipart/mixed; boundary="b64"' }),
        multipartBody('b64', [
          entity(
            { 'Content-Type': plain, 'Content-Transfer-Encoding': 'base64' },
            // The marker line is a multiple of 3 bytes, so it decodes intact whatever follows.
            `${Buffer.from(`${markerOf(n)}  \n`).toString('base64')}\n!!!%%%====@@@\nQUJD=RU=\n====\nZm9v\u00ff\u0000YmFy\n`,
          ),
          entity(
            {
              'Content-Type': 'application/pdf',
              'Content-Transfer-Encoding': 'base64',
              'Content-Disposition': 'attachment; filename="broken.pdf"',
            },
            '#### not base64 at all ####\n=\n',
          ),
        ]),
      ),
  },
  {
    key: 'invalid-quoted-printable',
    title: 'invalid quoted-printable',
    make: (_c, n, std) =>
      rawMessage(
        std.list({
          with: [
            ['Content-Type', plain],
            ['Content-Transfer-Encoding', 'quoted-printable'],
          ],
        }),
        `${markerOf(n)}\n=ZZ =G1 lone = sign =\nsoft break =0\n${'long='.repeat(2000)}\n=`,
      ),
  },
  {
    key: 'unknown-charset',
    title: 'unknown charset',
    make: (_c, n, std) =>
      rawMessage(
        std.list({ contentType: 'text/plain; charset="x-klingon-pIqaD"' }),
        `${markerOf(n)}\nQapla\u00e9\n`,
      ),
  },
  {
    key: 'mislabeled-charset',
    title: 'Latin-1 bytes labelled UTF-8, UTF-8 labelled Shift_JIS',
    make: (_c, n, std) =>
      rawMessage(
        std.list({ contentType: 'multipart/mixed; boundary="cs"' }),
        Buffer.concat([
          Buffer.from(`--cs\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${markerOf(n)}\r\n`),
          Buffer.from('caf\u00e9 na\u00efve \u00ff\u00fe\r\n', 'latin1'),
          Buffer.from(
            '--cs\r\nContent-Type: text/plain; charset=shift_jis\r\nContent-Disposition: inline\r\n\r\n',
          ),
          Buffer.from('Grüße 日本語\r\n--cs--\r\n', 'utf8'),
        ]),
      ),
  },
  {
    key: 'raw-8bit-headers',
    title: 'raw 8-bit header bytes',
    make: (_c, n, std) =>
      rawMessage(
        std.list({
          contentType: plain,
          with: [
            ['Subject', Buffer.from(`HOSTILE-CASE-${pad2(n)} Grüße 日本語 raw 8-bit`, 'utf8')],
            ['From', Buffer.from('Jos\u00e9 M\u00fcller <jose@hostile.test>', 'latin1')],
            ['X-Binary', Buffer.from([0x80, 0x81, 0xfe, 0xff, 0xc3, 0x28])],
          ],
        }),
        `${markerOf(n)}\n`,
      ),
  },
  {
    key: 'megabyte-header-line',
    title: 'a 1 MiB header line',
    make: (_c, n, std) =>
      rawMessage(
        std.list({ contentType: plain, with: [['X-Hostile-Padding', 'A'.repeat(1024 * 1024)]] }),
        `${markerOf(n)}\n`,
      ),
  },
  {
    key: 'bare-lf',
    title: 'bare LF line endings throughout',
    make: (_c, n, std) => {
      const boundary = 'lf-only'
      return rawMessage(
        std.list({ contentType: `multipart/alternative; boundary="${boundary}"` }),
        `--${boundary}\nContent-Type: text/plain\n\n${markerOf(n)}\n--${boundary}\nContent-Type: text/html\n\n<p>${markerOf(n)}</p>\n--${boundary}--\n`,
        '\n',
      )
    },
  },
  {
    key: 'nul-bytes',
    title: 'NUL bytes in headers and body',
    make: (_c, n, std) =>
      rawMessage(
        std.list({
          contentType: plain,
          with: [['Subject', Buffer.from(`HOSTILE-CASE-${pad2(n)} NUL\u0000in\u0000subject`, 'latin1')]],
        }),
        Buffer.from(`${markerOf(n)}\r\nbefore\u0000after\u0000\u0000\r\n`, 'latin1'),
      ),
  },
  {
    key: 'html-only-plain-script',
    title: 'plain text that looks like HTML',
    make: (c, n, std) =>
      rawMessage(
        std.list({ contentType: plain }),
        `${markerOf(n)}\n<script>${execPayload(c, n, 'plain')}</script>\n<img src=x onerror=alert(1)>\n`,
      ),
  },
  {
    key: 'very-large',
    title: 'a ~20 MiB message',
    make: (_c, n, std) =>
      rawMessage(
        std.list({ contentType: 'multipart/mixed; boundary="large"' }),
        multipartBody('large', [
          entity(
            { 'Content-Type': plain },
            `${markerOf(n)}\n${'Large message filler text. '.repeat(4000)}\n`,
          ),
          entity(
            {
              'Content-Type': 'application/octet-stream',
              'Content-Disposition': 'attachment; filename="large.bin"',
              'Content-Transfer-Encoding': 'base64',
            },
            base64Lines(pseudoRandomBytes(LARGE_ATTACHMENT_BYTES, n)),
          ),
        ]),
      ),
  },
  {
    // Last, so the numbers of the cases before it stay as they were.
    key: 'huge-header-values',
    title: 'a 1 MiB Subject and 10,000 recipients',
    make: (_c, n, std) =>
      rawMessage(
        std.list({
          contentType: plain,
          with: [
            [
              'Subject',
              `${std.subject} ${'padding '
                .repeat(131_072)
                .trim()
                .replace(/(.{1,900}) /g, '$1\r\n ')}`,
            ],
            [
              'To',
              Array.from({ length: HUGE_RECIPIENTS }, (_, i) => `"Recipient ${i}" <r${i}@lab.test>`).join(
                ',\r\n ',
              ),
            ],
          ],
        }),
        `${markerOf(n)}\n`,
      ),
  },
]
