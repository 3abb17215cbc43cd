import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { lstat, mkdir, open, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MailError } from '../../shared/errors'
import type { SecretCipher } from './secret-cipher'

export const KEY_FILE_NAME = 'secret.key'

const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
/** First byte of every ciphertext, so the format can change later without guessing. */
const FORMAT_V1 = 1

const unreadable = (detail: string): MailError =>
  new MailError(
    'SECRET_UNREADABLE',
    'A saved password could not be decrypted: it was changed outside the app or the key file was replaced. ' +
      'Enter the password for this account again.',
    detail,
  )

/**
 * AES-256-GCM with a random key kept in `<dataDir>/secret.key` (mode 0600). This is the web host's fallback
 * when no OS keychain is reachable: it keeps passwords out of plaintext files and backups of `secrets.json`
 * alone, but anyone who can read the key file as this user can decrypt them.
 *
 * Ciphertext layout: `[version=1][12-byte IV][16-byte GCM tag][ciphertext]`.
 */
export class FileKeyCipher implements SecretCipher {
  readonly kind = 'file-key-aes-256-gcm'

  private constructor(private readonly key: Buffer) {}

  /**
   * Loads the key, creating it (and `dataDir`) on first use.
   * @throws MailError INSECURE_STORAGE when the key file is readable by others, is not a regular file, or has
   *   the wrong size.
   */
  static async open(dataDir: string): Promise<FileKeyCipher> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 })
    const path = join(dataDir, KEY_FILE_NAME)
    const created = await createKeyFile(path)
    return new FileKeyCipher(created ?? (await readKeyFile(path)))
  }

  async encrypt(plain: string): Promise<Uint8Array> {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return new Uint8Array(Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), body]))
  }

  async decrypt(data: Uint8Array): Promise<string> {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    if (bytes.length < 1 + IV_BYTES + TAG_BYTES) throw unreadable('ciphertext too short')
    if (bytes[0] !== FORMAT_V1) throw unreadable(`unknown ciphertext format ${bytes[0]}`)
    const iv = bytes.subarray(1, 1 + IV_BYTES)
    const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES)
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv)
      decipher.setAuthTag(tag)
      const plain = Buffer.concat([
        decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ])
      return plain.toString('utf8')
    } catch {
      // GCM authentication failed: tampered data or a different key. Which one cannot be told apart.
      throw unreadable('authentication tag mismatch')
    }
  }
}

/** @returns the new key, or undefined when the file already exists. */
async function createKeyFile(path: string): Promise<Buffer | undefined> {
  let handle
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot overwrite each other's key.
    handle = await open(path, 'wx', 0o600)
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return undefined
    throw error
  }
  try {
    const key = randomBytes(KEY_BYTES)
    await handle.writeFile(key)
    await handle.sync()
    return key
  } finally {
    await handle.close()
  }
}

async function readKeyFile(path: string): Promise<Buffer> {
  const stat = await lstat(path)
  if (!stat.isFile()) {
    throw insecure(path, 'is not a regular file')
  }
  // Windows has no POSIX modes; the file lives in the user's profile, which ACLs protect.
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw insecure(path, `has mode ${(stat.mode & 0o777).toString(8)}, expected 600`)
  }
  const key = await readFile(path)
  if (key.length !== KEY_BYTES) throw insecure(path, `holds ${key.length} bytes, expected ${KEY_BYTES}`)
  return key
}

function insecure(path: string, problem: string): MailError {
  return new MailError(
    'INSECURE_STORAGE',
    `The key file that protects saved passwords is not safe to use (${path} ${problem}). ` +
      'Make it readable only by you (chmod 600) or remove it and enter your passwords again.',
    `${path} ${problem}`,
  )
}

/** `FileKeyCipher.open` as a function: the web host's cipher for `createCore`. */
export function createFileKeyCipher(dataDir: string): Promise<FileKeyCipher> {
  return FileKeyCipher.open(dataDir)
}
