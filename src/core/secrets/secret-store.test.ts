import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MailError } from '../../shared/errors'
import { createFileKeyCipher } from './file-key-cipher'
import type { SecretCipher } from './secret-cipher'
import { SECRETS_FILE_NAME, SecretStore } from './secret-store'

let dir: string
let cipher: SecretCipher
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'harbor-secrets-'))
  cipher = await createFileKeyCipher(dir)
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('SecretStore', () => {
  it('sets, gets and deletes by key, and survives a restart', async () => {
    const store = new SecretStore(dir, cipher)
    expect(await store.get('acct-1')).toBeUndefined()
    await store.set('acct-1', 'pw-one')
    await store.set('acct-2', 'pw-two')
    await store.set('acct-1', 'pw-one-changed')
    expect(await store.get('acct-1')).toBe('pw-one-changed')
    expect(await store.delete('acct-2')).toBe(true)
    expect(await store.delete('acct-2')).toBe(false)
    const reopened = new SecretStore(dir, cipher)
    expect(await reopened.get('acct-1')).toBe('pw-one-changed')
    expect(await reopened.has('acct-2')).toBe(false)
  })

  it('keeps only base64 ciphertexts on disk, in a 0600 file', async () => {
    const store = new SecretStore(dir, cipher)
    await store.set('acct-1', 'correct horse battery staple')
    const text = await readFile(join(dir, SECRETS_FILE_NAME), 'utf8')
    expect(text).not.toContain('correct horse')
    const file = JSON.parse(text) as { version: number; cipher: string; entries: Record<string, string> }
    expect(file.version).toBe(1)
    expect(file.cipher).toBe('file-key-aes-256-gcm')
    expect(Object.keys(file.entries)).toEqual(['acct-1'])
    expect(file.entries['acct-1']).toMatch(/^[A-Za-z0-9+/]+=*$/)
    if (process.platform !== 'win32')
      expect((await stat(join(dir, SECRETS_FILE_NAME))).mode & 0o777).toBe(0o600)
  })

  it('writes atomically: concurrent sets all land and no temp files are left', async () => {
    const store = new SecretStore(dir, cipher)
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`acct-${i}`, `pw-${i}`)))
    const files = (await readdir(dir)).sort()
    expect(files).toEqual(['secret.key', 'secrets.json'])
    const reopened = new SecretStore(dir, cipher)
    const values = await Promise.all(Array.from({ length: 20 }, (_, i) => reopened.get(`acct-${i}`)))
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => `pw-${i}`))
  })

  it('a failed write changes nothing in memory and removes its temp file', async () => {
    const store = new SecretStore(dir, cipher)
    await store.set('acct-1', 'old')
    // A non-empty directory where secrets.json should be makes the final rename fail.
    await rm(join(dir, SECRETS_FILE_NAME))
    await mkdir(join(dir, SECRETS_FILE_NAME))
    await writeFile(join(dir, SECRETS_FILE_NAME, 'blocker'), '')
    await expect(store.set('acct-1', 'new')).rejects.toThrow()
    expect(await store.get('acct-1')).toBe('old')
    expect((await readdir(dir)).sort()).toEqual(['secret.key', 'secrets.json'])
  })

  it('keys named like prototype properties are plain keys', async () => {
    const store = new SecretStore(dir, cipher)
    await store.set('__proto__', 'a')
    await store.set('constructor', 'b')
    const reopened = new SecretStore(dir, cipher)
    expect([
      await reopened.get('__proto__'),
      await reopened.get('constructor'),
      await reopened.get('toString'),
    ]).toEqual(['a', 'b', undefined])
  })

  it('reports a file written by another cipher or a corrupt file as SECRET_UNREADABLE', async () => {
    await new SecretStore(dir, cipher).set('acct-1', 'pw')
    const other: SecretCipher = { kind: 'other', encrypt: cipher.encrypt, decrypt: cipher.decrypt }
    const error = await new SecretStore(dir, other).get('acct-1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MailError)
    expect((error as MailError).code).toBe('SECRET_UNREADABLE')
    expect((error as MailError).detail).toMatch(
      /written with cipher file-key-aes-256-gcm, this app uses other/,
    )
    await writeFile(join(dir, SECRETS_FILE_NAME), '{"version":1,')
    const corrupt = await new SecretStore(dir, cipher).get('acct-1').catch((e: unknown) => e)
    expect((corrupt as MailError).code).toBe('SECRET_UNREADABLE')
  })
})
