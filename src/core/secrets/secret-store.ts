import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MailError } from '../../shared/errors'
import { SerialQueue } from '../storage/serial-queue'
import { writeFileAtomic } from '../storage/write-file-atomic'
import type { SecretCipher } from './secret-cipher'

export const SECRETS_FILE_NAME = 'secrets.json'

const FILE_VERSION = 1
const MAX_KEY_LENGTH = 200

interface SecretsFile {
  version: number
  cipher: string
  /** key (account id) → base64 ciphertext */
  entries: Record<string, string>
}

/**
 * Encrypted secrets by key (an account id), in `<dataDir>/secrets.json`. Only ciphertexts are kept, in memory
 * and on disk; plaintext exists only between `get` and its caller. Every change rewrites the file atomically,
 * so a crash leaves either the old or the new file, never half of one.
 */
export class SecretStore {
  private readonly path: string
  private entries: Map<string, string> | undefined
  /** Serialises loads and writes so concurrent `set`s cannot lose each other's changes. */
  private readonly queue = new SerialQueue()

  constructor(
    private readonly dataDir: string,
    private readonly cipher: SecretCipher,
  ) {
    this.path = join(dataDir, SECRETS_FILE_NAME)
  }

  /**
   * @returns the secret, or undefined when none is stored under `key`.
   * @throws MailError SECRET_UNREADABLE when it was stored by another cipher or cannot be decrypted.
   */
  async get(key: string): Promise<string | undefined> {
    checkKey(key)
    const stored = await this.serialised(async (entries) => entries.get(key))
    if (stored === undefined) return undefined
    return this.cipher.decrypt(new Uint8Array(Buffer.from(stored, 'base64')))
  }

  /** Encrypts and stores `value` under `key`, replacing any previous one. */
  async set(key: string, value: string): Promise<void> {
    checkKey(key)
    const ciphertext = Buffer.from(await this.cipher.encrypt(value)).toString('base64')
    await this.serialised(async (entries) => {
      await this.replace(new Map(entries).set(key, ciphertext))
    })
  }

  /** @returns whether something was stored under `key`. */
  async delete(key: string): Promise<boolean> {
    checkKey(key)
    return this.serialised(async (entries) => {
      if (!entries.has(key)) return false
      const next = new Map(entries)
      next.delete(key)
      await this.replace(next)
      return true
    })
  }

  async has(key: string): Promise<boolean> {
    checkKey(key)
    return this.serialised(async (entries) => entries.has(key))
  }

  /** Waits for pending writes; used on shutdown. */
  async flush(): Promise<void> {
    await this.queue.idle()
  }

  private serialised<T>(fn: (entries: Map<string, string>) => Promise<T>): Promise<T> {
    return this.queue.run(async () => fn(await this.load()))
  }

  private async load(): Promise<Map<string, string>> {
    if (this.entries) return this.entries
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
        this.entries = new Map()
        return this.entries
      }
      throw error
    }
    this.entries = parseSecretsFile(text, this.cipher.kind, this.path)
    return this.entries
  }

  /** The in-memory copy changes only after the disk did, so a failed write changes nothing. */
  private async replace(entries: Map<string, string>): Promise<void> {
    const file: SecretsFile = {
      version: FILE_VERSION,
      cipher: this.cipher.kind,
      entries: Object.fromEntries(entries),
    }
    await writeFileAtomic(this.dataDir, this.path, JSON.stringify(file, null, 2))
    this.entries = entries
  }
}

function checkKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new MailError(
      'INTERNAL',
      'A saved password could not be looked up.',
      `invalid secret key length ${key.length}`,
    )
  }
}

function parseSecretsFile(text: string, cipherKind: string, path: string): Map<string, string> {
  const unreadable = (detail: string): MailError =>
    new MailError(
      'SECRET_UNREADABLE',
      'Saved passwords could not be read. Enter the passwords for your accounts again.',
      `${path}: ${detail}`,
    )
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw unreadable('not valid JSON')
  }
  if (typeof data !== 'object' || data === null) throw unreadable('not an object')
  if (Reflect.get(data, 'version') !== FILE_VERSION) throw unreadable('unknown file version')
  const kind: unknown = Reflect.get(data, 'cipher')
  if (kind !== cipherKind)
    throw unreadable(`written with cipher ${String(kind)}, this app uses ${cipherKind}`)
  const entries: unknown = Reflect.get(data, 'entries')
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries))
    throw unreadable('no entries')
  // A Map, not an object: keys are account ids from outside and must never touch a prototype.
  const map = new Map<string, string>()
  for (const [key, value] of Object.entries(entries)) {
    if (typeof value !== 'string') throw unreadable(`entry ${JSON.stringify(key)} is not a string`)
    map.set(key, value)
  }
  return map
}
