import { afterEach, describe, expect, it, vi } from 'vitest'
import { MailError } from '../../shared/errors'
import type { Pop3Session } from '../pop3'
import { Pop3Sessions } from './pop3-sessions'

/** Just enough of a session to see whether it was closed (no QUIT) or quit. */
function fakeSession(): Pop3Session & { closed: number; quits: number } {
  const fake = {
    closed: 0,
    quits: 0,
    broken: undefined as MailError | undefined,
    close() {
      fake.closed++
    },
    async quit() {
      fake.quits++
    },
    async noop() {},
  }
  return fake as unknown as Pop3Session & { closed: number; quits: number }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('Pop3Sessions', () => {
  it('drops every session of a connection that went away, without QUIT', () => {
    const sessions = new Pop3Sessions()
    const a = fakeSession()
    const b = fakeSession()
    const other = fakeSession()
    sessions.add(a, 'acc1', 'c1')
    sessions.add(b, 'acc2', 'c1')
    sessions.add(other, 'acc1', 'c2')
    expect(sessions.dropConnection('c1')).toBe(2)
    expect([a.closed, b.closed, a.quits, b.quits]).toEqual([1, 1, 0, 0])
    expect(other.closed).toBe(0)
    expect(sessions.size).toBe(1)
  })

  it('refuses a session id used from another connection', async () => {
    const sessions = new Pop3Sessions()
    const id = sessions.add(fakeSession(), 'acc', 'c1')
    const e = await sessions.use(id, 'c2', async () => 'used').catch((err: unknown) => err)
    expect(e).toBeInstanceOf(MailError)
    expect((e as MailError).code).toBe('NOT_FOUND')
    expect(await sessions.use(id, 'c1', async () => 'used')).toBe('used')
    expect(sessions.drop(id, 'c2')).toBe(false)
    expect(sessions.drop(id, 'c1')).toBe(true)
  })

  it('replaces an older session of the same account on the same connection', () => {
    const sessions = new Pop3Sessions()
    const first = fakeSession()
    sessions.add(first, 'acc', 'c1')
    sessions.add(fakeSession(), 'acc', 'c1')
    expect(first.closed).toBe(1)
    expect(sessions.size).toBe(1)
  })

  it('drops an idle session after the idle time, but never one that is busy', async () => {
    vi.useFakeTimers()
    const sessions = new Pop3Sessions(1000)
    const idle = fakeSession()
    const busy = fakeSession()
    sessions.add(idle, 'a', 'c1')
    const busyId = sessions.add(busy, 'b', 'c1')
    let finish: () => void = () => undefined
    const running = sessions.use(busyId, 'c1', () => new Promise<void>((r) => (finish = r)))
    await vi.advanceTimersByTimeAsync(5000)
    expect(idle.closed).toBe(1)
    expect(busy.closed).toBe(0)
    finish()
    await running
    await vi.advanceTimersByTimeAsync(999)
    expect(busy.closed).toBe(0)
    await vi.advanceTimersByTimeAsync(2)
    expect(busy.closed).toBe(1)
    expect(sessions.size).toBe(0)
  })
})
