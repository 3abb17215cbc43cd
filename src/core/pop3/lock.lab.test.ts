import { appendFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { openPop3Session } from './open-session'
import { failure, labConfig, useLab } from './test-support/pop3-lab'

// A private lab: this file changes Dovecot's config and restarts it.
const lab = useLab({ users: [{ name: 'locker' }] })

describe('maildrop lock (RFC 1939 §4, RFC 2449 §8.1.2 [IN-USE]) on a private lab Dovecot', () => {
  it("Dovecot's default (pop3_lock_session = no) lets two POP3 sessions of one user in at once", async () => {
    const first = await openPop3Session(labConfig(lab(), 'locker'))
    const second = await openPop3Session(labConfig(lab(), 'locker'))
    expect((await second.stat()).count).toBe((await first.stat()).count)
    await second.quit()
    await first.quit()
  })

  it('with pop3_lock_session = yes the second session gets MAILBOX_LOCKED, not a hang', async () => {
    await appendFile(
      lab().paths.dovecotConf,
      '\n# lock.lab.test.ts: RFC 1939 exclusive maildrop lock\npop3_lock_session = yes\n',
    )
    await lab().dovecot.restart()
    const cfg = labConfig(lab(), 'locker', { timeouts: { connectMs: 5000, idleMs: 20_000 } })
    const first = await openPop3Session(cfg)
    const started = Date.now()
    // Dovecot waits ~10 s for the lock before answering -ERR [IN-USE].
    const e = await failure(openPop3Session(cfg))
    expect(e.code).toBe('MAILBOX_LOCKED')
    expect(e.message).toBe(
      'Another program is checking this mailbox. Close it or wait a minute, then try again.',
    )
    expect(e.detail).toContain('[IN-USE]')
    expect(Date.now() - started).toBeLessThan(20_000)
    // The first session is unaffected, and once it quits the lock is free.
    await first.noop()
    await first.quit()
    const third = await openPop3Session(cfg)
    await third.quit()
  })
})
