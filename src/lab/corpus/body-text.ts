// Message bodies: plain text wrapped like mail clients do, the HTML twin of it, and newsletter HTML.
// Every text ends in one LF so the encoded part ends in CRLF (see mime-tree.ts).

import type { Rng } from './prng'
import type { LocaleVocabulary } from './vocabulary'

const CJK = /[\u3040-\u30ff\u3400-\u9fff]/

export function paragraphs(rng: Rng, vocab: LocaleVocabulary, sentences: number): string[] {
  const out: string[] = []
  let left = sentences
  while (left > 0) {
    const n = Math.min(left, rng.int(1, 4))
    const parts: string[] = []
    for (let i = 0; i < n; i++) parts.push(rng.pick(vocab.sentences))
    out.push(parts.join(CJK.test(parts[0]!) ? '' : ' '))
    left -= n
  }
  return out
}

/** Greedy word wrap at `width`; CJK text (no spaces) is broken every `width / 2` characters. */
export function wrap(paragraph: string, width = 72): string[] {
  if (CJK.test(paragraph)) {
    const chars = Array.from(paragraph)
    const lines: string[] = []
    for (let i = 0; i < chars.length; i += width / 2) lines.push(chars.slice(i, i + width / 2).join(''))
    return lines
  }
  const lines: string[] = []
  let line = ''
  for (const word of paragraph.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line ? line + ' ' + word : word
    }
  }
  if (line) lines.push(line)
  return lines
}

export interface LetterParts {
  greeting: string
  body: string[]
  closing: string
  signature: string
  quote?: { header: string; text: string }
}

export function plainLetter(letter: LetterParts): string {
  const lines: string[] = [letter.greeting, '']
  for (const p of letter.body) lines.push(...wrap(p), '')
  lines.push(letter.closing, letter.signature)
  if (letter.quote) {
    lines.push('', letter.quote.header)
    for (const q of letter.quote.text.split('\n')) lines.push(q === '' ? '>' : '> ' + q)
  }
  return lines.join('\n') + '\n'
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  )
}

export function htmlLetter(letter: LetterParts, lang: string, charset: string): string {
  const out = [
    '<!DOCTYPE html>',
    `<html lang="${lang}"><head><meta charset="${charset}"><meta name="viewport" content="width=device-width">`,
    '<style>body{font-family:Calibri,Arial,sans-serif;font-size:11pt}blockquote{border-left:2px solid #ccc;margin:0;padding-left:8px}</style>',
    '</head><body>',
    `<p>${escapeHtml(letter.greeting)}</p>`,
  ]
  for (const p of letter.body) out.push(`<p>${escapeHtml(p)}</p>`)
  out.push(`<p>${escapeHtml(letter.closing)}<br>`, `${escapeHtml(letter.signature)}</p>`)
  if (letter.quote) {
    out.push(`<div class="quote"><p>${escapeHtml(letter.quote.header)}</p><blockquote>`)
    for (const q of letter.quote.text.split('\n')) out.push(escapeHtml(q) + '<br>')
    out.push('</blockquote></div>')
  }
  out.push('</body></html>')
  return out.join('\n') + '\n'
}

export interface NewsletterItem {
  title: string
  text: string
  url: string
  image: string
}

/** Table-based, inline-styled HTML as bulk mailers produce it (the bulk of its bytes is markup). */
export function newsletterHtml(
  title: string,
  items: readonly NewsletterItem[],
  unsubscribe: string,
  inlineImage?: string,
): string {
  const out = [
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />',
    `<title>${escapeHtml(title)}</title>`,
    '<style type="text/css">body{margin:0;padding:0;background:#f4f4f4}table{border-collapse:collapse}',
    '.btn{background:#0b5cad;color:#ffffff;padding:10px 18px;border-radius:4px;text-decoration:none}',
    '@media only screen and (max-width:600px){.col{display:block!important;width:100%!important}}</style>',
    '</head><body style="margin:0;padding:0;background-color:#f4f4f4;">',
    '<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="background-color:#f4f4f4;">',
    '<tr><td align="center" style="padding:20px 0;">',
    '<table role="presentation" width="600" cellspacing="0" cellpadding="0" border="0" style="background-color:#ffffff;">',
  ]
  if (inlineImage) {
    out.push(
      `<tr><td style="padding:0;"><img src="cid:${inlineImage}" width="600" alt="" style="display:block;" /></td></tr>`,
    )
  }
  out.push(
    `<tr><td style="padding:24px 32px;font-family:Helvetica,Arial,sans-serif;font-size:24px;color:#222222;">${escapeHtml(title)}</td></tr>`,
  )
  for (const item of items) {
    out.push(
      '<tr><td style="padding:12px 32px;">',
      '<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0"><tr>',
      `<td class="col" width="160" valign="top" style="padding-right:16px;"><img src="${item.image}" width="160" height="120" alt="${escapeHtml(item.title)}" style="display:block;border:0;" /></td>`,
      `<td class="col" valign="top" style="font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:22px;color:#444444;">`,
      `<h2 style="margin:0 0 8px 0;font-size:18px;color:#111111;">${escapeHtml(item.title)}</h2>`,
      `<p style="margin:0 0 12px 0;">${escapeHtml(item.text)}</p>`,
      `<a class="btn" href="${item.url}" style="background:#0b5cad;color:#ffffff;padding:10px 18px;text-decoration:none;">Read more</a>`,
      '</td></tr></table></td></tr>',
    )
  }
  out.push(
    '<tr><td style="padding:24px 32px;font-family:Helvetica,Arial,sans-serif;font-size:12px;color:#888888;">',
    `You receive this email because you subscribed. <a href="${unsubscribe}" style="color:#888888;">Unsubscribe</a>`,
    '</td></tr></table></td></tr></table>',
    '<img src="https://track.example.com/open.gif?id=0" width="1" height="1" alt="" />',
    '</body></html>',
  )
  return out.join('\n') + '\n'
}
