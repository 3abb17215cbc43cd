/** Hand-made messages for the reading tests: each exercises one rule of "Showing hostile mail safely". */

const CRLF = '\r\n'

function message(headers: Record<string, string>, body: string): string {
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join(CRLF)
  return `${head}${CRLF}${CRLF}${body.replace(/\r?\n/g, CRLF)}${CRLF}`
}

function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000')
}

// A 1x1 PNG.
export const PIXEL_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
export const ATTACHMENT_TEXT = 'Quarter,Revenue\nQ1,100\nQ2,120\n'

export const SUBJECTS = {
  html: 'Quarterly report with pictures',
  plain: 'Plain text with a link',
  spoof: 'Your account is locked',
  old: 'An old newsletter',
} as const

export const HTML_LINK_TARGET = 'https://reports.example.com/q2?from=mail'
export const PLAIN_LINK_TARGET = 'https://docs.example.org/handbook'

export function sampleMessages(to: string, now = new Date()): string[] {
  const day = 24 * 3600 * 1000
  const boundary = 'b1-harbor-e2e'
  const related = 'b2-harbor-e2e'
  const html = message(
    {
      From: 'Bob Builder <bob@lab.test>',
      To: to,
      Subject: SUBJECTS.html,
      Date: rfc2822(now),
      'Message-ID': '<html-1@lab.test>',
      'MIME-Version': '1.0',
      'Content-Type': `multipart/mixed; boundary="${boundary}"`,
    },
    [
      `--${boundary}`,
      `Content-Type: multipart/related; boundary="${related}"`,
      '',
      `--${related}`,
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><body><h1 style="color:#0f6cbd">Q2 report</h1>',
      `<p>Read <a href="${HTML_LINK_TARGET}" target="_blank">the report</a> online.</p>`,
      '<p>Tracking pixel: <img src="https://tracker.example.net/open.gif?u=alice" width="1" height="1"></p>',
      '<p>Inline chart: <img src="cid:chart@lab.test" alt="chart" width="40" height="40"></p>',
      '<script>document.body.innerHTML = "pwned"</script>',
      '<p onclick="alert(1)">Click me does nothing.</p>',
      '</body></html>',
      `--${related}`,
      'Content-Type: image/png',
      'Content-Transfer-Encoding: base64',
      'Content-ID: <chart@lab.test>',
      'Content-Disposition: inline; filename="chart.png"',
      '',
      PIXEL_PNG_BASE64,
      `--${related}--`,
      `--${boundary}`,
      'Content-Type: text/csv; name="figures.csv"',
      'Content-Disposition: attachment; filename="figures.csv"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(ATTACHMENT_TEXT).toString('base64'),
      `--${boundary}--`,
    ].join('\n'),
  )
  const plain = message(
    {
      From: 'Carol <carol@lab.test>',
      To: to,
      Subject: SUBJECTS.plain,
      Date: rfc2822(new Date(now.getTime() - day)),
      'Message-ID': '<plain-1@lab.test>',
      'MIME-Version': '1.0',
      'Content-Type': 'text/plain; charset=utf-8',
    },
    `Hi Alice,\n\nthe handbook is at ${PLAIN_LINK_TARGET}. See you!\n\n<b>not bold</b>\n`,
  )
  const spoof = message(
    {
      From: '"support@bank.example" <crook@evil.example>',
      To: to,
      Subject: SUBJECTS.spoof,
      Date: rfc2822(new Date(now.getTime() - 3 * day)),
      'Message-ID': '<spoof-1@lab.test>',
      'Content-Type': 'text/plain; charset=utf-8',
    },
    'Please confirm your password.',
  )
  const old = message(
    {
      From: 'News <news@lab.test>',
      To: to,
      Subject: SUBJECTS.old,
      Date: rfc2822(new Date(now.getTime() - 90 * day)),
      'Message-ID': '<old-1@lab.test>',
      'Content-Type': 'text/plain; charset=utf-8',
    },
    'Old news.',
  )
  return [old, spoof, plain, html]
}

/**
 * A short plain-text message whose body names its subject ("Body of <subject>."), with a Message-ID made
 * from the subject (`<Old-10@example.org>` for "Old 10") that replies can point at through `extra` headers.
 */
export function plainMessage(
  to: string,
  subject: string,
  date: Date,
  extra: Record<string, string> = {},
): string {
  return message(
    {
      From: 'Sender <sender@example.org>',
      To: to,
      Subject: subject,
      Date: rfc2822(date),
      'Message-ID': `<${subject.replace(/\W+/g, '-')}@example.org>`,
      ...extra,
      'MIME-Version': '1.0',
      'Content-Type': 'text/plain; charset=utf-8',
    },
    `Body of ${subject}.`,
  )
}
