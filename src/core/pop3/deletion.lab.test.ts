import { describe, expect, it } from 'vitest'
import { openPop3Session } from './open-session'
import { labConfig, testMessage, uidSet, useLab } from './test-support/pop3-lab'

const lab = useLab()
const USER = 'dave'

/** Loads three messages and returns their uids in order plus everything that was there before. */
async function loadThree(): Promise<{ before: Set<string>; uids: string[] }> {
  const s0 = await openPop3Session(labConfig(lab(), USER))
  const before = await uidSet(s0)
  await s0.quit()
  await lab().loadMaildir(USER, 'INBOX', [testMessage('del-a'), testMessage('del-b'), testMessage('del-c')])
  const s = await openPop3Session(labConfig(lab(), USER))
  const uids = (await s.uidl())
    .filter((e) => !before.has(e.uid))
    .sort((a, b) => a.n - b.n)
    .map((e) => e.uid)
  await s.quit()
  expect(uids).toHaveLength(3)
  return { before, uids }
}

async function numberOf(uid: string, s: Awaited<ReturnType<typeof openPop3Session>>): Promise<number> {
  const entry = (await s.uidl()).find((e) => e.uid === uid)
  if (!entry) throw new Error(`uid ${uid} not on server`)
  return entry.n
}

// RFC 1939 §6: DELE only marks; the server removes marked messages in the UPDATE state after QUIT.
describe('DELE takes effect only at QUIT (lab Dovecot)', () => {
  it('DELE + QUIT removes exactly that message', async () => {
    const { before, uids } = await loadThree()
    const s = await openPop3Session(labConfig(lab(), USER))
    await s.dele(await numberOf(uids[1]!, s))
    await s.quit()
    const check = await openPop3Session(labConfig(lab(), USER))
    const after = await uidSet(check)
    await check.quit()
    expect([...after].sort()).toEqual([...before, uids[0]!, uids[2]!].sort())
  })

  it('DELE without QUIT (connection dropped) removes nothing', async () => {
    const { before, uids } = await loadThree()
    const s = await openPop3Session(labConfig(lab(), USER))
    for (const uid of uids) await s.dele(await numberOf(uid, s))
    // Marked messages vanish from this session's listing at once...
    const inSession = await uidSet(s)
    expect(uids.some((u) => inSession.has(u))).toBe(false)
    s.close()
    // ...but a fresh session still has every one of them.
    const check = await openPop3Session(labConfig(lab(), USER))
    const after = await uidSet(check)
    expect([...after].sort()).toEqual([...before, ...uids].sort())
    // Clean up for the next test.
    for (const uid of uids) await check.dele(await numberOf(uid, check))
    await check.quit()
  })

  it('DELE then RSET then QUIT removes nothing', async () => {
    const { before, uids } = await loadThree()
    const s = await openPop3Session(labConfig(lab(), USER))
    await s.dele(await numberOf(uids[0]!, s))
    await s.rset()
    await s.quit()
    const check = await openPop3Session(labConfig(lab(), USER))
    const after = await uidSet(check)
    expect([...after].sort()).toEqual([...before, ...uids].sort())
    for (const uid of uids) await check.dele(await numberOf(uid, check))
    await check.quit()
  })
})
