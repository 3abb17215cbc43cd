/**
 * Core's files on a disk that is really full: a small tmpfs mounted for the test (root only; CI runs as
 * root). Filling it and then writing is what a user with a full disk gets, byte for byte.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MailError } from '../../shared/errors'
import { Pop3Spool } from '../pop3/message-spool'
import { writeFileAtomic } from './write-file-atomic'

const isRoot = process.getuid?.() === 0

async function fill(dir: string): Promise<void> {
  // Writes until the file system refuses: then nothing more fits.
  for (let i = 0; ; i++) {
    try {
      await writeFile(join(dir, `filler-${i}`), Buffer.alloc(16 * 1024, 1))
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOSPC') return
      throw error
    }
  }
}

describe.skipIf(!isRoot)('core on a full disk (tmpfs)', () => {
  let mount: string
  beforeAll(async () => {
    mount = await mkdtemp(join(tmpdir(), 'full-disk-'))
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mount])
  })
  afterAll(async () => {
    if (!mount) return
    execFileSync('umount', [mount])
    await rm(mount, { recursive: true, force: true })
  })

  it('a settings write fails with DISK_FULL, keeps the old file whole and leaves no temp file', async () => {
    const dir = join(mount, 'settings')
    await writeFileAtomic(dir, join(dir, 'accounts.json'), '{"version":1,"accounts":[]}')
    await fill(mount)
    const attempt = writeFileAtomic(
      dir,
      join(dir, 'accounts.json'),
      JSON.stringify({ big: 'x'.repeat(64 * 1024) }),
    )
    await expect(attempt).rejects.toBeInstanceOf(MailError)
    await expect(attempt).rejects.toMatchObject({
      code: 'DISK_FULL',
      message: expect.stringMatching(/no room left on the disk .*Nothing was changed\. Free some disk space/),
    })
    expect(await readFile(join(dir, 'accounts.json'), 'utf8')).toBe('{"version":1,"accounts":[]}')
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
    for (const f of await readdir(mount)) if (f.startsWith('filler-')) await rm(join(mount, f))
  })

  it('a POP3 safety copy that does not fit is refused with DISK_FULL, so no DELE can rely on it', async () => {
    const spool = new Pop3Spool(mount, 1000)
    await spool.open('acc', 'store-1')
    await fill(mount)
    await expect(spool.hold('acc', 'sess', 'uid-1', new Uint8Array(64 * 1024).fill(7))).rejects.toMatchObject(
      {
        code: 'DISK_FULL',
      },
    )
    await expect(
      spool.keep('acc', 'sess', [{ id: 'uid-1', heldId: 'uid-1' }], async () =>
        new Uint8Array(64 * 1024).fill(7),
      ),
    ).rejects.toMatchObject({ code: 'DISK_FULL' })
    expect(await spool.has('acc', 'uid-1')).toBe(false)
  })
})
