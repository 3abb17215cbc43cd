import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Pop3Spool } from './message-spool'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)
const items = (...ids: string[]) => ids.map((id) => ({ id, heldId: id }))
const noFetch = (): Promise<Uint8Array> => Promise.reject(new Error('no RETR expected'))

describe('Pop3Spool', () => {
  let dir: string
  let now: number
  const spool = (): Pop3Spool => new Pop3Spool(dir, 1000, () => now)
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spool-'))
    now = 1_000_000
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('adopts the first store identity, then trusts only it', async () => {
    const s = spool()
    expect((await s.open('acc', 'store-a1')).standing).toBe('known')
    expect((await s.open('acc', 'store-a1')).standing).toBe('known')
    await s.keep('acc', 'sess', items('uid-1'), async () => bytes('removed from the server'))
    expect((await s.open('acc', 'store-b2')).standing).toBe('reset')
    expect((await s.open('acc', null)).standing).toBe('unknown')
    // Remembered across a core restart (state.json), so a kill of core cannot forget the trusted store.
    expect((await spool().open('acc', 'store-b2')).standing).toBe('reset')
    expect((await spool().open('acc', 'store-a1')).standing).toBe('known')
  })

  it('keeps held bytes and fetched bytes as copies; a new store must confirm them', async () => {
    const s = spool()
    await s.open('acc', 'store-a1')
    await s.hold('acc', 'sess', 'uid-1', bytes('held message'))
    const fetched: string[] = []
    await s.keep('acc', 'sess', items('uid-1', 'uid-2'), async ({ id }) => {
      fetched.push(id)
      return bytes(`fetched ${id}`)
    })
    expect(fetched).toEqual(['uid-2'])
    const again = spool()
    expect(new TextDecoder().decode(await again.read('acc', 'uid-1'))).toBe('held message')
    expect(new TextDecoder().decode(await again.read('acc', 'uid-2'))).toBe('fetched uid-2')
    // The store that asked for the DELE has not yet shown it still holds them after the fact.
    expect((await again.open('acc', 'store-a1')).unconfirmed.sort()).toEqual(['uid-1', 'uid-2'])
    expect(await again.confirm('acc', 'store-a1', ['uid-1', 'uid-2'])).toBe('known')
    expect((await again.open('acc', 'store-a1')).unconfirmed).toEqual([])
  })

  it('a reset store gets every copy named, and becomes trusted once it confirmed them all', async () => {
    const s = spool()
    await s.open('acc', 'store-a1')
    await s.keep('acc', 'sess', items('uid-1', 'uid-2'), async ({ id }) => bytes(id))
    await s.confirm('acc', 'store-a1', ['uid-1', 'uid-2'])
    const reset = await s.open('acc', 'store-b2')
    expect(reset.standing).toBe('reset')
    expect(reset.unconfirmed.sort()).toEqual(['uid-1', 'uid-2'])
    expect(await s.confirm('acc', 'store-b2', ['uid-1'])).toBe('reset')
    expect(await s.confirm('acc', 'store-b2', ['uid-2'])).toBe('known')
    expect((await s.open('acc', 'store-b2')).standing).toBe('known')
    expect((await s.open('acc', 'store-a1')).standing).toBe('reset')
  })

  it('trusts a new store at once when the account never removed anything from the server', async () => {
    const s = spool()
    expect(await s.open('acc', 'store-a1')).toMatchObject({ standing: 'known', resetAt: null })
    // Trusted at once, but the open that found the reset says when, so the user can be told.
    expect(await s.open('acc', 'store-b2')).toMatchObject({ standing: 'known', resetAt: now })
    expect(await s.open('acc', 'store-b2')).toMatchObject({ standing: 'known', resetAt: null })
    expect((await s.open('acc', 'store-a1')).standing).toBe('known')
  })

  it('drops confirmed copies after the grace period; a reset after that needs the user', async () => {
    const s = spool()
    await s.open('acc', 'store-a1')
    await s.keep('acc', 'sess', items('uid-1', 'uid-2'), async ({ id }) => bytes(id))
    await s.confirm('acc', 'store-a1', ['uid-1'])
    now += 2000
    const later = await s.open('acc', 'store-a1')
    // Only the confirmed copy goes: an unconfirmed one is kept however old it is.
    expect(later.dropped).toBe(1)
    expect(later.unconfirmed).toEqual(['uid-2'])
    await expect(s.read('acc', 'uid-1')).rejects.toThrow(/no safety copy/)
    const reset = await s.open('acc', 'store-b2')
    expect(await s.confirm('acc', 'store-b2', reset.unconfirmed)).toBe('reset')
    await s.accept('acc', 'store-b2')
    expect((await s.open('acc', 'store-b2')).standing).toBe('known')
  })

  it("files a copy under the caller's id (a header hash seen again is `<id>~2`), found by its held id", async () => {
    const s = spool()
    await s.open('acc', 'store-a1')
    await s.keep('acc', 'sess', items('#hdr:x'), async () => bytes('first generation'))
    await s.hold('acc', 'sess2', '#hdr:x', bytes('second generation'))
    await s.keep('acc', 'sess2', [{ id: '#hdr:x~2', heldId: '#hdr:x' }], noFetch)
    expect(new TextDecoder().decode(await s.read('acc', '#hdr:x'))).toBe('first generation')
    expect(new TextDecoder().decode(await s.read('acc', '#hdr:x~2'))).toBe('second generation')
  })

  it('a copy a kill interrupted mid-write is not listed and is cleaned up; held bytes of dead sessions too', async () => {
    const s = spool()
    await s.open('acc', 'store-a1')
    await s.keep('acc', 'sess', items('uid-1'), async ({ id }) => bytes(id))
    await s.hold('acc', 'dead-session', 'uid-9', bytes('never deleted'))
    const copies = join(dir, 'pop3-spool', (await readdir(join(dir, 'pop3-spool')))[0]!)
    await writeFile(join(copies, 'copies', 'abc.eml.123.tmp'), 'half')
    const restarted = spool()
    expect((await restarted.open('acc', 'store-a1')).unconfirmed).toEqual(['uid-1'])
    expect((await readdir(join(copies, 'copies'))).filter((n) => n.endsWith('.tmp'))).toEqual([])
    expect(await readdir(copies)).not.toContain('held')
    await expect(restarted.keep('acc', 'dead-session', items('uid-9'), noFetch)).rejects.toThrow(/no RETR/)
  })
})
