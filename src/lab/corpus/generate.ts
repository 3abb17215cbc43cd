// The corpus generator: a deterministic stream of realistic RFC 5322 messages (threads, lists,
// newsletters, notifications, attachments, legacy charsets) and what each one is meant to contain.

import { ATTACHMENT_KINDS, BytePool, MAX_ATTACHMENT } from './attachments'
import {
  htmlLetter,
  newsletterHtml,
  paragraphs,
  plainLetter,
  type LetterParts,
  type NewsletterItem,
} from './body-text'
import { canEncode, type Charset } from './charsets'
import { makeContacts, serviceContact, userContact, type Contact } from './contacts'
import { addressHeader, foldHeader, isAscii, unstructuredTokens, type Address } from './mime-encode'
import { attachmentPart, serializePart, textPart, type AttachmentSpec, type MimePart } from './mime-tree'
import { createRng, type Rng } from './prng'
import { MAILING_LISTS, NEWSLETTERS, NOTIFIERS, VOCABULARY, type Locale } from './vocabulary'

export type SizeProfile = 'realistic' | 'small'

export interface CorpusOptions {
  count: number
  seed: number
  /** The users' own domain (colleagues write from it). Default `example.test`. */
  domain?: string
  /** Recipients: addresses, local parts (joined with `domain`) or { name, address }. Default alice, bob. */
  users?: readonly (string | Address)[]
  /** `realistic`: ~35 KB a message on average (10k ≈ 350 MB); `small`: a few KB, for quick tests. */
  size?: SizeProfile
  /** First possible Date. Default 2022-01-01T00:00:00Z. */
  start?: Date
  /** Days the dates spread over. Default 3 years. */
  spanDays?: number
}

export type CorpusFlag = '\\Seen' | '\\Answered' | '\\Flagged'

export type MessageKind = 'personal' | 'business' | 'list' | 'newsletter' | 'notification'

export interface CorpusAttachmentMeta {
  filename: string
  contentType: string
  /** Decoded size in bytes. */
  size: number
  inline: boolean
}

/** What a generated message is meant to say: tests compare a parser's view with this. */
export interface CorpusMessageMeta {
  index: number
  kind: MessageKind
  /** With angle brackets, as in the header. */
  messageId: string
  inReplyTo?: string
  references: string[]
  /** Message-ID of the first message of the thread (its own for a thread starter). */
  threadId: string
  date: Date
  subject: string
  from: Address
  to: Address[]
  cc: Address[]
  locale: Locale
  headerCharset: Charset
  bodyCharset: Charset
  /** The text/plain body (LF line ends). */
  text: string
  hasHtml: boolean
  attachments: CorpusAttachmentMeta[]
  listId?: string
  /** IMAP system flags (what the Maildir letters mean). */
  flags: CorpusFlag[]
  /** Maildir info letters after `:2,`, sorted (e.g. `FS`). */
  maildirFlags: string
  /** Bytes of `raw`. */
  size: number
}

export interface CorpusMessage {
  raw: Buffer
  meta: CorpusMessageMeta
}

interface ThreadEntry {
  messageId: string
  references: string[]
  threadId: string
  baseSubject: string
  from: Contact
  to: Contact[]
  cc: Contact[]
  date: Date
  text: string
}

interface Draft {
  kind: MessageKind
  from: Contact
  to: Contact[]
  cc: Contact[]
  locale: Locale
  subject: string
  baseSubject: string
  text: string
  html?: string
  inlineImage?: AttachmentSpec
  attachments: AttachmentSpec[]
  parent?: ThreadEntry
  headers: string[]
  listId?: string
  returnPath: string
}

const DAY = 86_400_000
const HISTORY = 300
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const CRLF = '\r\n'

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/** RFC 5322 date in the sender's zone, e.g. `Tue, 15 Mar 2022 14:03:22 +0100`. */
export function rfc5322Date(date: Date, tzOffset: number): string {
  const d = new Date(date.getTime() + tzOffset * 60_000)
  const sign = tzOffset < 0 ? '-' : '+'
  const abs = Math.abs(tzOffset)
  return (
    `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  )
}

function shortDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`
}

/** The sender's charset when it can carry all texts, else UTF-8 (what mailers fall back to). */
function charsetFor(preferred: Charset, texts: readonly string[]): Charset {
  const all = texts.join('\n')
  if (isAscii(all.replace(/\n/g, ' '))) return preferred === 'us-ascii' ? 'us-ascii' : preferred
  if (preferred !== 'us-ascii' && canEncode(all, preferred)) return preferred
  return 'utf-8'
}

function domainOf(address: string): string {
  return address.slice(address.indexOf('@') + 1)
}

class CorpusGenerator {
  private readonly rng: Rng
  private readonly domain: string
  private readonly users: Contact[]
  private readonly contacts: Contact[]
  private readonly byLocale = new Map<Locale, Contact[]>()
  private readonly small: boolean
  private readonly personal: ThreadEntry[] = []
  private readonly lists = new Map<string, ThreadEntry[]>()
  private pool: BytePool | undefined
  private readonly poolRng: Rng
  private readonly start: number
  private readonly slot: number

  constructor(private readonly opts: CorpusOptions) {
    this.rng = createRng(opts.seed)
    this.poolRng = this.rng.fork(1)
    this.domain = opts.domain ?? 'example.test'
    this.users = (opts.users ?? ['alice', 'bob']).map((u) => userContact(u, this.domain))
    if (this.users.length === 0) throw new Error('generateCorpus needs at least one user')
    this.contacts = makeContacts(this.rng.fork(2), 160, this.domain)
    for (const c of this.contacts) {
      const list = this.byLocale.get(c.locale) ?? []
      list.push(c)
      this.byLocale.set(c.locale, list)
    }
    this.small = opts.size === 'small'
    this.start = (opts.start ?? new Date('2022-01-01T00:00:00Z')).getTime()
    this.slot = ((opts.spanDays ?? 3 * 365) * DAY) / Math.max(1, opts.count)
  }

  *messages(): Generator<CorpusMessage> {
    for (let i = 0; i < this.opts.count; i++) yield this.message(i)
  }

  private message(index: number): CorpusMessage {
    const rng = this.rng
    // Monotonic dates keep every reply after its parent.
    const date = new Date(Math.floor(this.start + (index + rng.next()) * this.slot))
    const kind = rng.weighted<MessageKind>([
      ['personal', 40],
      ['business', 15],
      ['list', 22],
      ['newsletter', 10],
      ['notification', 13],
    ])
    const draft =
      kind === 'list'
        ? this.listDraft(rng)
        : kind === 'newsletter'
          ? this.newsletterDraft(rng)
          : kind === 'notification'
            ? this.notificationDraft(rng)
            : this.personalDraft(rng, kind)
    return this.render(rng, index, date, draft)
  }

  private contact(rng: Rng, locale?: Locale): Contact {
    const pool = locale ? this.byLocale.get(locale) : undefined
    return rng.pick(pool && pool.length > 0 ? pool : this.contacts)
  }

  private recentParent(rng: Rng, history: readonly ThreadEntry[]): ThreadEntry {
    // Replies mostly follow recent mail; the long tail answers old threads.
    const back = Math.min(history.length - 1, Math.floor(rng.logNormal(8, 1.2)))
    return history[history.length - 1 - back]!
  }

  private letter(rng: Rng, from: Contact, greetName: string | undefined, parent?: ThreadEntry): LetterParts {
    const vocab = VOCABULARY[from.locale]
    const sentences = Math.max(1, Math.min(30, Math.round(rng.logNormal(this.small ? 3 : 5, 0.6))))
    const greeting = rng.pick(vocab.greetings)
    const letter: LetterParts = {
      greeting:
        greetName && !greeting.endsWith(',') && !greeting.endsWith('。')
          ? `${greeting} ${greetName},`
          : greeting,
      body: paragraphs(rng, vocab, sentences),
      closing: rng.pick(vocab.closings),
      signature: from.name ?? from.address,
    }
    if (parent) {
      const quoted = parent.text
        .split('\n')
        .slice(0, this.small ? 12 : 40)
        .join('\n')
        .trimEnd()
      letter.quote = {
        header: vocab.wrote(shortDate(parent.date), parent.from.name ?? parent.from.address),
        text: quoted,
      }
    }
    return letter
  }

  private personalDraft(rng: Rng, kind: 'personal' | 'business'): Draft {
    let parent: ThreadEntry | undefined
    let from: Contact
    let to: Contact[]
    let cc: Contact[] = []
    if (this.personal.length > 0 && rng.chance(kind === 'personal' ? 0.4 : 0.25)) {
      parent = this.recentParent(rng, this.personal)
      const others = [...parent.to, ...parent.cc].filter((c) => !c.isUser && c !== parent!.from)
      from = others.length > 0 && rng.chance(0.7) ? rng.pick(others) : this.contact(rng, parent.from.locale)
      to = [parent.from]
      cc = [...parent.to, ...parent.cc].filter((c) => c !== from && c !== parent!.from)
      if (!cc.some((c) => c.isUser)) cc.push(rng.pick(this.users))
    } else {
      from = this.contact(rng)
      to = [rng.pick(this.users)]
      if (rng.chance(0.25)) to.push(this.contact(rng, from.locale))
      if (rng.chance(0.25)) for (let n = rng.int(1, 3); n > 0; n--) cc.push(this.contact(rng))
      cc = cc.filter((c) => c !== from && !to.includes(c))
    }
    const vocab = VOCABULARY[from.locale]
    const baseSubject = parent ? parent.baseSubject : rng.pick(vocab.subjects)
    const subject = parent ? vocab.replyPrefix + baseSubject : baseSubject
    const greetName = to[0]!.name?.split(/[ ,]/)[0]
    const letter = this.letter(rng, from, greetName, parent)
    const withHtml = kind === 'business' || rng.chance(0.3)
    const attachments: AttachmentSpec[] = []
    if (rng.chance(kind === 'business' ? 0.24 : 0.16)) {
      const n = rng.weighted([
        [1, 70],
        [2, 20],
        [3, 7],
        [4, 3],
      ])
      for (let k = 0; k < n; k++) attachments.push(this.attachment(rng, from))
    }
    return {
      kind,
      from,
      to,
      cc,
      locale: from.locale,
      subject,
      baseSubject,
      text: plainLetter(letter),
      html: withHtml ? htmlLetter(letter, from.locale, '%CHARSET%') : undefined,
      attachments,
      parent,
      headers: from.mailer ? [from.mailer] : [],
      returnPath: from.address,
    }
  }

  private listDraft(rng: Rng): Draft {
    const list = rng.pick(MAILING_LISTS)
    const history = this.lists.get(list.id) ?? []
    this.lists.set(list.id, history)
    const listContact = serviceContact(list.name, list.address, list.locale)
    const parent = history.length > 0 && rng.chance(0.5) ? this.recentParent(rng, history) : undefined
    const from = this.contact(rng, rng.chance(0.85) ? list.locale : undefined)
    const vocab = VOCABULARY[from.locale]
    const tag = `[${list.id.split('.')[0]}] `
    const baseSubject = parent ? parent.baseSubject : tag + rng.pick(VOCABULARY[list.locale].subjects)
    const letter = this.letter(rng, from, undefined, parent)
    const text =
      plainLetter(letter) +
      `_______________________________________________\n${list.name}\nhttps://${domainOf(list.address)}/mailman/listinfo/${list.id}\n`
    const [localPart, listDomain] = list.address.split('@') as [string, string]
    const listIdTokens = unstructuredTokens(list.name, 'utf-8', 'Q')
    return {
      kind: 'list',
      from,
      to: [listContact],
      cc: parent && rng.chance(0.3) && parent.from !== from ? [parent.from] : [],
      locale: from.locale,
      subject: parent ? vocab.replyPrefix + baseSubject : baseSubject,
      baseSubject,
      text,
      html: rng.chance(0.15) ? htmlLetter(letter, from.locale, '%CHARSET%') : undefined,
      attachments: rng.chance(0.03) ? [this.attachment(rng, from)] : [],
      parent,
      headers: [
        ...(from.mailer ? [from.mailer] : []),
        // Header helpers end lines in CRLF; draft headers are added with one.
        addressHeader(
          'Sender',
          [{ name: list.name, address: `${localPart}-bounces@${listDomain}` }],
          'utf-8',
          'Q',
        ).slice(0, -2),
        foldHeader('List-Id', [...listIdTokens, `<${list.id}>`]).slice(0, -2),
        `List-Unsubscribe: <mailto:${localPart}-request@${listDomain}?subject=unsubscribe>,${CRLF} <https://${listDomain}/mailman/options/${list.id}>`,
        `List-Archive: <https://${listDomain}/pipermail/${localPart}/>`,
        `List-Post: <mailto:${list.address}>`,
        `List-Help: <mailto:${localPart}-request@${listDomain}?subject=help>`,
        'Precedence: list',
      ],
      listId: list.id,
      returnPath: `${localPart}-bounces@${listDomain}`,
    }
  }

  private newsletterDraft(rng: Rng): Draft {
    const sender = rng.pick(NEWSLETTERS)
    const from = serviceContact(sender.name, sender.address)
    const user = rng.pick(this.users)
    const subject = rng.pick(sender.topics)
    const vocab = VOCABULARY.en
    const items: NewsletterItem[] = []
    const domain = domainOf(sender.address)
    for (let n = this.small ? rng.int(1, 3) : rng.int(4, 14); n > 0; n--) {
      const id = rng.hex(8)
      items.push({
        title: rng.pick(vocab.subjects),
        text: paragraphs(rng, vocab, rng.int(1, 3)).join(' '),
        url: `https://${domain}/c/${id}?utm_source=newsletter&utm_medium=email&utm_campaign=${rng.hex(6)}`,
        image: `https://cdn.${domain}/img/${id}.jpg`,
      })
    }
    const unsubscribe = `https://${domain}/unsubscribe?u=${rng.hex(24)}`
    let inlineImage: AttachmentSpec | undefined
    if (rng.chance(0.2)) {
      const png = ATTACHMENT_KINDS[2]![0]
      const size = Math.round(this.small ? rng.int(800, 3000) : rng.logNormal(30_000, 0.5))
      inlineImage = {
        filename: 'banner.png',
        contentType: png.contentType,
        data: this.bytes(rng, png.magic, size),
        filenameCharset: 'utf-8',
        legacyName: true,
        inline: { contentId: `banner.${rng.hex(12)}@${domain}` },
      }
    }
    const text =
      `${subject}\n\n` +
      items.map((it) => `${it.title}\n${it.text}\n${it.url}\n`).join('\n') +
      `\nUnsubscribe: ${unsubscribe}\n`
    return {
      kind: 'newsletter',
      from,
      to: [user],
      cc: [],
      locale: 'en',
      subject,
      baseSubject: subject,
      text,
      html: newsletterHtml(subject, items, unsubscribe, inlineImage?.inline?.contentId),
      inlineImage,
      attachments: [],
      headers: [
        `List-Unsubscribe: <${unsubscribe}>,${CRLF} <mailto:unsubscribe@${domain}?subject=${rng.hex(16)}>`,
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
        ...(rng.chance(0.5) ? [`List-Id: ${sender.name.replace(/[^\x20-\x7e]/g, '')} <news.${domain}>`] : []),
        'Precedence: bulk',
        `Feedback-ID: ${rng.int(1, 99)}:${rng.hex(8)}:newsletter`,
      ],
      returnPath: `bounce-${rng.hex(10)}@${domain}`,
    }
  }

  private notificationDraft(rng: Rng): Draft {
    const notifier = rng.pick(NOTIFIERS)
    const from = serviceContact(notifier.name, notifier.address)
    const subject = rng.pick(notifier.subjects).replace('%d', String(rng.int(1, 999)))
    const vocab = VOCABULARY.en
    const body = paragraphs(rng, vocab, rng.int(1, 4))
    const text = `${body.join('\n\n')}\n\n--\nYou are receiving this because you are subscribed.\nhttps://${domainOf(notifier.address)}/settings/notifications\n`
    const letter: LetterParts = { greeting: '', body, closing: '', signature: notifier.name }
    return {
      kind: 'notification',
      from,
      to: [rng.pick(this.users)],
      cc: [],
      locale: 'en',
      subject,
      baseSubject: subject,
      text,
      html: rng.chance(0.5) ? htmlLetter(letter, 'en', '%CHARSET%') : undefined,
      attachments: [],
      headers: ['Auto-Submitted: auto-generated', 'Precedence: bulk'],
      returnPath: `noreply@${domainOf(notifier.address)}`,
    }
  }

  private bytes(rng: Rng, magic: Buffer, size: number): Buffer {
    this.pool ??= new BytePool(this.poolRng)
    return this.pool.payload(rng, magic, size)
  }

  private attachment(rng: Rng, from: Contact): AttachmentSpec {
    const kind = rng.weighted(ATTACHMENT_KINDS)
    const size = this.small
      ? Math.round(Math.min(40_000, Math.max(300, rng.logNormal(kind.median / 40, kind.sigma * 0.7))))
      : Math.round(Math.min(MAX_ATTACHMENT, Math.max(2_000, rng.logNormal(kind.median, kind.sigma))))
    const vocab = VOCABULARY[from.locale]
    let base: string
    if (kind.ext === 'jpg' && rng.chance(0.5)) base = `IMG_${rng.int(1000, 9999)}`
    else if (rng.chance(0.2))
      base = `${rng.pick(vocab.attachmentNames)}_${rng.pick(vocab.attachmentNames)}_${rng.int(2021, 2024)}-${pad(rng.int(1, 12))}_final`
    else
      base = rng.chance(0.5)
        ? `${rng.pick(vocab.attachmentNames)} ${rng.int(1, 40)}`
        : rng.pick(vocab.attachmentNames)
    const filename = `${base}.${kind.ext}`
    const latin = from.charset === 'iso-8859-1' || from.charset === 'windows-1252'
    return {
      filename,
      contentType: kind.contentType,
      data: this.bytes(rng, kind.magic, size),
      filenameCharset: latin && canEncode(filename, from.charset) ? from.charset : 'utf-8',
      legacyName: rng.chance(0.4),
    }
  }

  private render(rng: Rng, index: number, date: Date, d: Draft): CorpusMessage {
    const messageId = `<${date.getTime().toString(36)}.${rng.hex(12)}.${index.toString(36)}@${domainOf(d.from.address)}>`
    const references = d.parent ? [...d.parent.references, d.parent.messageId].slice(-12) : []
    // Like Thunderbird, each header is encoded on its own: in the sender's charset where it fits.
    const headerCharset = charsetFor(d.from.charset, [d.subject])
    const addresses = (name: string, list: readonly Contact[]): string => {
      const charset = charsetFor(
        d.from.charset,
        list.map((c) => c.name ?? ''),
      )
      return addressHeader(name, list, charset, mode)
    }
    const bodyCharset = charsetFor(d.from.charset, [d.text])
    const mode = d.from.wordEncoding
    const recipient = [...d.to, ...d.cc].find((c) => c.isUser) ?? this.users[0]!
    const received = new Date(date.getTime() + rng.int(1, 40) * 1000)

    let head =
      `Return-Path: <${d.returnPath}>${CRLF}` +
      `Delivered-To: ${recipient.address}${CRLF}` +
      `Received: from mx${rng.int(1, 4)}.${domainOf(d.from.address)} (mx.${domainOf(d.from.address)} [198.51.100.${rng.int(1, 254)}])${CRLF}` +
      `\tby mail.${this.domain} (Postfix) with ESMTPS id ${rng.hex(10).toUpperCase()}${CRLF}` +
      `\tfor <${recipient.address}>; ${rfc5322Date(received, 0)}${CRLF}` +
      `Message-ID: ${messageId}${CRLF}` +
      `Date: ${rfc5322Date(date, d.from.tzOffset)}${CRLF}` +
      addresses('From', [d.from]) +
      addresses('To', d.to) +
      (d.cc.length ? addresses('Cc', d.cc) : '') +
      foldHeader('Subject', unstructuredTokens(d.subject, headerCharset, mode))
    if (d.parent) {
      head += `In-Reply-To: ${d.parent.messageId}${CRLF}` + foldHeader('References', references)
    }
    for (const h of d.headers) head += h + CRLF
    head += `MIME-Version: 1.0${CRLF}`

    const boundary = (): string => `----=_Part_${rng.hex(8)}_${rng.hex(12)}`
    const textLeaf = textPart(rng, d.text, 'plain', bodyCharset)
    let body: MimePart = textLeaf
    if (d.html) {
      const htmlCharset = charsetFor(d.from.charset, [d.html])
      const htmlLeaf = textPart(rng, d.html.replace('%CHARSET%', htmlCharset), 'html', htmlCharset)
      const htmlSide: MimePart = d.inlineImage
        ? { subtype: 'related', boundary: boundary(), parts: [htmlLeaf, attachmentPart(d.inlineImage)] }
        : htmlLeaf
      body = { subtype: 'alternative', boundary: boundary(), parts: [textLeaf, htmlSide] }
    }
    if (d.attachments.length) {
      body = { subtype: 'mixed', boundary: boundary(), parts: [body, ...d.attachments.map(attachmentPart)] }
    }
    const chunks: Buffer[] = []
    serializePart(body, chunks, head)
    const raw = Buffer.concat(chunks)

    const seenP = d.kind === 'newsletter' ? 0.55 : index > this.opts.count * 0.97 ? 0.3 : 0.85
    const seen = rng.chance(seenP)
    const flagged = rng.chance(0.03)
    const answered = seen && d.kind === 'personal' && rng.chance(0.15)
    const maildirFlags = `${flagged ? 'F' : ''}${answered ? 'R' : ''}${seen ? 'S' : ''}`
    const flags: CorpusFlag[] = []
    if (flagged) flags.push('\\Flagged')
    if (answered) flags.push('\\Answered')
    if (seen) flags.push('\\Seen')

    const entry: ThreadEntry = {
      messageId,
      references,
      threadId: d.parent?.threadId ?? messageId,
      baseSubject: d.baseSubject,
      from: d.from,
      to: d.to,
      cc: d.cc,
      date,
      text: d.text,
    }
    if (d.kind === 'personal' || d.kind === 'business') pushBounded(this.personal, entry)
    else if (d.kind === 'list' && d.listId) pushBounded(this.lists.get(d.listId)!, entry)

    const attachments: CorpusAttachmentMeta[] = [
      ...(d.inlineImage ? [d.inlineImage] : []),
      ...d.attachments,
    ].map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.data.length,
      inline: Boolean(a.inline),
    }))
    const plain = (c: Contact): Address =>
      c.name ? { name: c.name, address: c.address } : { address: c.address }
    return {
      raw,
      meta: {
        index,
        kind: d.kind,
        messageId,
        ...(d.parent ? { inReplyTo: d.parent.messageId } : {}),
        references,
        threadId: entry.threadId,
        date,
        subject: d.subject,
        from: plain(d.from),
        to: d.to.map(plain),
        cc: d.cc.map(plain),
        locale: d.locale,
        headerCharset,
        bodyCharset,
        text: d.text,
        hasHtml: Boolean(d.html),
        attachments,
        ...(d.listId ? { listId: d.listId } : {}),
        flags,
        maildirFlags,
        size: raw.length,
      },
    }
  }
}

function pushBounded(history: ThreadEntry[], entry: ThreadEntry): void {
  history.push(entry)
  if (history.length > HISTORY) history.splice(0, history.length - HISTORY)
}

/** Generates `count` messages; the same options always give byte-identical messages. */
export function* generateCorpus(opts: CorpusOptions): Generator<CorpusMessage> {
  yield* new CorpusGenerator(opts).messages()
}

/**
 * Messages in the shape `lab.loadMaildir(user, folder, messages)` takes: raw bytes, flags, and the
 * date as INTERNALDATE.
 */
export function* corpusForLab(
  opts: CorpusOptions,
): Generator<{ raw: Buffer; flags: CorpusFlag[]; date: Date }> {
  for (const { raw, meta } of generateCorpus(opts)) yield { raw, flags: meta.flags, date: meta.date }
}
