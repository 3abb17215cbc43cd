import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MailError } from '../../shared/errors'
import { createFileKeyCipher, KEY_FILE_NAME } from './file-key-cipher'

const posix = process.platform !== 'win32'
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harbor-key-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function failure(promise: Promise<unknown>): Promise<MailError> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(MailError)
  return error as MailError
}

describe('FileKeyCipher', () => {
  it('round-trips, and the ciphertext does not contain the plaintext', async () => {
    const cipher = await createFileKeyCipher(dir)
    const secret = 'hunter2-päss-✉-hunter2-hunter2'
    const data = await cipher.encrypt(secret)
    expect(await cipher.decrypt(data)).toBe(secret)
    const asText = Buffer.from(data).toString('latin1')
    expect(asText).not.toContain('hunter2')
    expect(Buffer.from(data).includes(Buffer.from(secret, 'utf8'))).toBe(false)
    // A fresh IV every time: equal passwords do not give equal ciphertexts.
    expect(Buffer.from(await cipher.encrypt(secret)).equals(Buffer.from(data))).toBe(false)
  })

  it('creates a 32-byte key file with mode 0600 and reuses it on the next start', async () => {
    const first = await createFileKeyCipher(dir)
    const data = await first.encrypt('kept across restarts')
    const key = await readFile(join(dir, KEY_FILE_NAME))
    expect(key.length).toBe(32)
    if (posix) expect((await stat(join(dir, KEY_FILE_NAME))).mode & 0o777).toBe(0o600)
    const second = await createFileKeyCipher(dir)
    expect(await second.decrypt(data)).toBe('kept across restarts')
  })

  it('refuses tampered ciphertext with SECRET_UNREADABLE', async () => {
    const cipher = await createFileKeyCipher(dir)
    const data = await cipher.encrypt('secret')
    const tampered = new Uint8Array(data)
    tampered[tampered.length - 1]! ^= 0x01
    const error = await failure(cipher.decrypt(tampered))
    expect(error.code).toBe('SECRET_UNREADABLE')
    expect(error.message).toMatch(/Enter the password/)
    expect((await failure(cipher.decrypt(data.subarray(0, 10)))).code).toBe('SECRET_UNREADABLE')
  })

  it('cannot decrypt with another key', async () => {
    const other = await mkdtemp(join(tmpdir(), 'harbor-key-other-'))
    try {
      const data = await (await createFileKeyCipher(dir)).encrypt('secret')
      expect((await failure((await createFileKeyCipher(other)).decrypt(data))).code).toBe('SECRET_UNREADABLE')
    } finally {
      await rm(other, { recursive: true, force: true })
    }
  })

  it.skipIf(!posix)('refuses a key file readable by group or others', async () => {
    await createFileKeyCipher(dir)
    await chmod(join(dir, KEY_FILE_NAME), 0o644)
    const error = await failure(createFileKeyCipher(dir))
    expect(error.code).toBe('INSECURE_STORAGE')
    expect(error.detail).toMatch(/has mode 644, expected 600/)
    expect(error.message).toMatch(/chmod 600/)
  })

  it('refuses a key file of the wrong size', async () => {
    await writeFile(join(dir, KEY_FILE_NAME), Buffer.alloc(16), { mode: 0o600 })
    const error = await failure(createFileKeyCipher(dir))
    expect(error.code).toBe('INSECURE_STORAGE')
    expect(error.detail).toMatch(/holds 16 bytes, expected 32/)
  })
})
