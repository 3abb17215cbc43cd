import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startLab } from './lab'
import { dovecotOf } from './lab-control'
import { writeLabFiles } from './lab-files'
import { pickBasePort } from './ports'
import { sharedLab } from './testing/shared-lab'

describe('lab lifecycle', () => {
  it('the shared lab started within the 5 s budget, with the promised shape', () => {
    const lab = sharedLab()
    expect(lab.host).toBe('127.0.0.1')
    expect(lab.domain).toBe('lab.test')
    expect(lab.users.map((u) => u.name)).toEqual(expect.arrayContaining(['alice', 'bob', 'carol']))
    expect(lab.user('bob').address).toBe('bob@lab.test')
    expect(lab.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/)
    expect(new Set(Object.values(lab.ports)).size).toBe(7)
  })

  it('starts a second lab on a chosen basePort in well under 5 s and stops it without traces', async () => {
    const base = await pickBasePort()
    const lab = await startLab({ basePort: base, users: [{ name: 'zed', password: 'pw-zed' }] })
    try {
      expect(lab.startMs).toBeLessThan(5000)
      expect(lab.ports.imap).toBe(base)
      expect(lab.ports.submissions).toBe(base + 6)
      expect(lab.user('zed')).toEqual({
        name: 'zed',
        address: 'zed@lab.test',
        password: 'pw-zed',
        intlAddress: 'zed.müller@lab.test',
      })
    } finally {
      await lab.stop()
    }
    await expect(rm(lab.dir)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('refuses a basePort whose range is taken, naming the ports', async () => {
    const base = await pickBasePort()
    const blocker = createServer().listen(base + 3, '127.0.0.1')
    await new Promise((r) => blocker.once('listening', r))
    try {
      await expect(startLab({ basePort: base })).rejects.toThrow(
        `Lab ports ${base}-${base + 6} on 127.0.0.1 are not all free`,
      )
    } finally {
      blocker.close()
    }
  })

  it('a failed server start names the log file and quotes its last lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-fail-'))
    try {
      const info = await writeLabFiles('failtest', dir, await pickBasePort(), [{ name: 'alice' }])
      await writeFile(info.paths.dovecotConf, 'no_such_setting = 1\n')
      const error: unknown = await dovecotOf(info)
        .start()
        .then(
          () => new Error('started'),
          (e: unknown) => e,
        )
      expect(String(error)).toContain(`Log ${info.paths.dovecotLog} ends with:`)
      expect(String(error)).toMatch(/Unknown setting: no_such_setting/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
