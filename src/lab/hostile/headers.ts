/**
 * Cases that attack what the header area shows and how the list threads: impersonating display names,
 * encoded words smuggling control characters (RFC 2047 does not forbid them in the decoded text), lookalike
 * domains (IDN homograph attacks, UTS #39), Reply-To diversion, dangerous attachment names, absurd dates,
 * and References loops.
 */
import { HOSTILE_DOMAIN, type CaseSpec } from './build'
import { base64Lines, encodedWordB, entity, multipartBody, rawMessage } from './mime'
import { markerOf, pad2 } from './payload'

const plain = 'text/plain; charset=utf-8'

function attachmentCase(key: string, title: string, names: readonly string[]): CaseSpec {
  return {
    key,
    title,
    flags: ['risky-attachment'],
    make: (_c, n, std) => {
      const boundary = `attach-${key}`
      const parts = names.map((name, i) =>
        entity(
          {
            'Content-Type': 'application/octet-stream',
            // RFC 2231 §4: charset'language'percent-encoded, so the name reaches the client byte for byte.
            'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
            'Content-Transfer-Encoding': 'base64',
          },
          base64Lines(`MZ fake executable ${i}`),
        ),
      )
      return rawMessage(
        std.list({ contentType: `multipart/mixed; boundary="${boundary}"` }),
        multipartBody(boundary, [entity({ 'Content-Type': plain }, `${markerOf(n)}\n`), ...parts]),
      )
    },
  }
}

const textCase = (
  key: string,
  title: string,
  headers: (n: number, subject: string) => [string, string | Buffer][],
  opts: { flags?: CaseSpec['flags']; without?: string[] } = {},
): CaseSpec => ({
  key,
  title,
  flags: opts.flags ?? [],
  make: (_c, n, std) =>
    rawMessage(
      std.list({ contentType: plain, with: headers(n, std.subject), without: opts.without }),
      `${markerOf(n)}\nThe header area of this message is the attack.\n`,
    ),
})

export const HEADER_CASES: readonly CaseSpec[] = [
  textCase(
    'display-name-address',
    'display name showing another address',
    () => [['From', `"security@bank.example" <crook@${HOSTILE_DOMAIN}>`]],
    { flags: ['sender-warning'] },
  ),
  textCase(
    'display-name-angle',
    'display name with a full fake mailbox',
    () => [['From', `"Bank Support <support@bank.example>" <crook@${HOSTILE_DOMAIN}>`]],
    { flags: ['sender-warning'] },
  ),
  textCase('encoded-words-controls', 'encoded words hiding NUL and newlines', (n) => [
    ['From', `${encodedWordB('Support\u0000\r\nBcc: victim@bank.example')} <sender@${HOSTILE_DOMAIN}>`],
    ['Subject', `${encodedWordB(`HOSTILE-CASE-${pad2(n)} Invoice\u0000\r\nX-Injected: yes`)}`],
    ['Cc', `${encodedWordB('"admin@bank.example"\u202e')} <cc@${HOSTILE_DOMAIN}>`],
  ]),
  textCase(
    'homoglyph-domain',
    'homoglyph domain in raw UTF-8',
    // RFC 6532 allows UTF-8 in addresses; U+0430 CYRILLIC SMALL LETTER A looks like "a".
    () => [['From', Buffer.from('PayPal <service@p\u0430ypal.example>', 'utf8')]],
    { flags: ['sender-warning'] },
  ),
  textCase(
    'punycode-domain',
    'punycode (xn--) lookalike domain',
    () => [['From', 'Apple Support <id@xn--pple-43d.example>']],
    { flags: ['sender-warning'] },
  ),
  textCase(
    'reply-to-differs',
    'Reply-To diverting answers elsewhere',
    () => [
      ['From', `The CEO <ceo@${HOSTILE_DOMAIN}>`],
      ['Reply-To', 'ceo.private@attacker.example'],
    ],
    { flags: ['sender-warning'] },
  ),
  attachmentCase('attachment-rtl', 'attachment name with right-to-left override', [
    'invoice\u202efdp.exe',
    'photo\u202egnp.scr',
  ]),
  attachmentCase('attachment-traversal', 'attachment names with path traversal', [
    '../../../../home/user/.bashrc',
    '..\\..\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\run.bat',
    '/etc/passwd',
  ]),
  attachmentCase('attachment-double-extension', 'attachment names with double extensions', [
    'statement.pdf.exe',
    'holiday.jpg                                        .scr',
    'readme.txt.lnk',
    'CON.txt',
    'setup.exe. . .',
  ]),
  textCase('absurd-date-unparsable', 'unparsable Date', () => [['Date', 'Fri, 31 Feb 99999 25:61:99 +9999']]),
  textCase('absurd-date-future', 'Date in the year 9999', () => [
    ['Date', 'Fri, 31 Dec 9999 23:59:59 +0000'],
  ]),
  textCase('absurd-date-past', 'Date before the epoch', () => [['Date', 'Mon, 1 Jan 1601 00:00:00 -1200']]),
  textCase('references-self', 'References and In-Reply-To pointing at itself', (n) => [
    ['References', `<hostile-${pad2(n)}@${HOSTILE_DOMAIN}> <hostile-${pad2(n)}@${HOSTILE_DOMAIN}>`],
    ['In-Reply-To', `<hostile-${pad2(n)}@${HOSTILE_DOMAIN}>`],
  ]),
  // Two messages that reply to each other: a thread builder that follows parents would loop forever.
  textCase('references-loop-a', 'References loop, first half', () => [
    ['Message-ID', `<loop-a@${HOSTILE_DOMAIN}>`],
    ['References', `<loop-b@${HOSTILE_DOMAIN}>`],
    ['In-Reply-To', `<loop-b@${HOSTILE_DOMAIN}>`],
  ]),
  textCase('references-loop-b', 'References loop, second half', () => [
    ['Message-ID', `<loop-b@${HOSTILE_DOMAIN}>`],
    ['References', `<loop-a@${HOSTILE_DOMAIN}>`],
    ['In-Reply-To', `<loop-a@${HOSTILE_DOMAIN}>`],
  ]),
  textCase('references-absurd', 'References with 20,000 ids and a 5,000-character Message-ID', (n) => [
    ['Message-ID', `<${'x'.repeat(5000)}-${pad2(n)}@${HOSTILE_DOMAIN}>`],
    ['References', Array.from({ length: 20_000 }, (_, i) => `<ref-${i}@${HOSTILE_DOMAIN}>`).join('\r\n ')],
  ]),
  {
    key: 'missing-headers',
    title: 'no From, Date, Subject, Message-ID or MIME-Version',
    make: (_c, n) =>
      rawMessage([['X-Hostile-Case', pad2(n)]], `${markerOf(n)}\nA message with no headers.\n`),
  },
]
