// Attachment payloads: a real file signature followed by pseudo-random bytes, so MIME sniffers and
// thumbnailers see plausible files while the bytes stay incompressible like real PDFs, JPEGs and ZIPs.
// Bytes come from one seeded pool sliced at random offsets: filling every attachment from the PRNG
// would dominate the generation time of a multi-gigabyte corpus.

import { randomBytes, type Rng } from './prng'

export interface AttachmentKind {
  ext: string
  contentType: string
  /** Median size in bytes and log-normal shape; real attachment sizes have a long tail. */
  median: number
  sigma: number
  magic: Buffer
}

export const ATTACHMENT_KINDS: readonly (readonly [AttachmentKind, number])[] = [
  [
    {
      ext: 'pdf',
      contentType: 'application/pdf',
      median: 90_000,
      sigma: 1.1,
      magic: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
    },
    35,
  ],
  [
    {
      ext: 'jpg',
      contentType: 'image/jpeg',
      median: 140_000,
      sigma: 1.0,
      magic: Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
    },
    25,
  ],
  [
    {
      ext: 'png',
      contentType: 'image/png',
      median: 45_000,
      sigma: 1.0,
      magic: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
    },
    12,
  ],
  [
    {
      ext: 'zip',
      contentType: 'application/zip',
      median: 150_000,
      sigma: 1.3,
      magic: Buffer.from('504b0304140000000800', 'hex'),
    },
    8,
  ],
  [
    {
      ext: 'docx',
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      median: 35_000,
      sigma: 0.9,
      magic: Buffer.from('504b030414000600', 'hex'),
    },
    12,
  ],
  [
    {
      ext: 'xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      median: 25_000,
      sigma: 0.9,
      magic: Buffer.from('504b030414000600', 'hex'),
    },
    8,
  ],
]

const POOL_SIZE = 8 * 1024 * 1024
/** Largest single attachment; mail servers commonly refuse messages above 25-50 MB. */
export const MAX_ATTACHMENT = 6 * 1024 * 1024

export class BytePool {
  private readonly pool: Buffer

  constructor(rng: Rng) {
    this.pool = randomBytes(rng, POOL_SIZE)
  }

  /** `length` bytes starting with `magic`, the rest taken from the pool at a random offset. */
  payload(rng: Rng, magic: Buffer, length: number): Buffer {
    const out = Buffer.allocUnsafe(Math.max(length, magic.length))
    magic.copy(out, 0)
    let o = magic.length
    let src = rng.int(0, POOL_SIZE - 1)
    while (o < out.length) {
      const n = Math.min(out.length - o, POOL_SIZE - src)
      this.pool.copy(out, o, src, src + n)
      o += n
      src = 0
    }
    return out
  }
}
