import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useLab, type LabHandle } from '../core/imap/lab-fixture'
import { folderId } from '../renderer/src/store/rows'
import { addLabImapAccount, startSyncHarness, type SyncHarness } from './sync-harness'
import { folderMessages } from '../renderer/src/store/messages'

const USER = 'dave'

describe('new mail arrives by itself (IDLE on INBOX through core)', () => {
  let labHandle: LabHandle
  let h: SyncHarness
  let accountId: string

  beforeAll(async () => {
    labHandle = await useLab()
    h = await startSyncHarness(undefined, { watch: true })
    accountId = await addLabImapAccount(h, labHandle.lab, USER)
    await h.engine.start(60 * 60_000) // the periodic pass is far away: only IDLE can bring the mail
  })
  afterAll(async () => {
    await h?.dispose()
    await labHandle?.release()
  })

  it('shows a delivered message in the cache within seconds, without a manual sync', async () => {
    const subject = `idle check ${Date.now()}`
    const inbox = folderId(accountId, 'INBOX')
    const has = async (): Promise<boolean> =>
      (await folderMessages(h.store.fast, inbox)).filter((m) => m.subject === subject).length === 1
    expect(await has()).toBe(false)
    const started = Date.now()
    await labHandle.lab.deliver(
      USER,
      `From: x@lab.test\r\nTo: ${USER}@lab.test\r\nSubject: ${subject}\r\n\r\nhello\r\n`,
    )
    await expect.poll(has, { timeout: 10_000, interval: 100 }).toBe(true)
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
