import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openMailStore, type MailStore } from '../mail-db'
import { noteUserInput, throttledLiveQuery } from './use-coalesced-live-query'

const stores: MailStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('throttledLiveQuery', () => {
  it('says it holds no value yet, and runs nothing before it is subscribed', async () => {
    let runs = 0
    const q = throttledLiveQuery(() => ++runs, 200)
    // useObservable (dexie-react-hooks) subscribes during render to look for a synchronous value unless
    // hasValue() says there is none; such a subscription would start a run whose answer is dropped.
    expect(q.hasValue()).toBe(false)
    await sleep(20)
    expect(runs).toBe(0)
  })

  it('runs at most once per interval during a burst of commits, and ends on the last state', async () => {
    const store = await openMailStore(`throttled-${Date.now()}`)
    stores.push(store)
    const { fast } = store
    let runs = 0
    const seen: number[] = []
    const sub = throttledLiveQuery(async () => {
      runs++
      return fast.syncState.count()
    }, 200).subscribe((v) => seen.push(v))
    await sleep(50)
    const base = await fast.syncState.count() // the store's identity row
    expect(seen).toEqual([base])
    const start = performance.now()
    // 30 commits in quick succession, as a sync writes batches.
    for (let i = 0; i < 30; i++) await fast.syncState.put({ key: `k${i}`, value: i })
    const burst = performance.now() - start
    await sleep(450)
    sub.unsubscribe()
    expect(seen.at(-1)).toBe(base + 30)
    // One run at subscribe, then at most one per 200 ms of the burst and one after it.
    expect(runs).toBeLessThanOrEqual(2 + Math.ceil(burst / 200) + 1)
  })

  it('shows a single change at once when the store was quiet', async () => {
    const store = await openMailStore(`throttled-single-${Date.now()}`)
    stores.push(store)
    const { fast } = store
    const seen: { value: number; at: number }[] = []
    const sub = throttledLiveQuery(() => fast.syncState.count(), 1000).subscribe((value) =>
      seen.push({ value, at: performance.now() }),
    )
    await sleep(1100)
    const base = await fast.syncState.count()
    const wrote = performance.now()
    await fast.syncState.put({ key: 'one', value: 1 })
    for (let i = 0; i < 30 && seen.length < 2; i++) await sleep(50)
    sub.unsubscribe()
    expect(seen.map((s) => s.value)).toEqual([base, base + 1])
    // Not held back for the interval (1,000 ms): the previous run is long over.
    expect(seen[1]!.at - wrote).toBeLessThan(700)
  })

  it('runs less often once the store has kept changing a while, and at once again when the user acts', async () => {
    const store = await openMailStore(`throttled-busy-${Date.now()}`)
    stores.push(store)
    const { fast } = store
    const runs: number[] = []
    const sub = throttledLiveQuery(
      () => {
        runs.push(performance.now())
        return fast.syncState.count()
      },
      20,
      { afterMs: 300, ms: 250 },
    ).subscribe(() => undefined)
    await sleep(50)
    // A bulk write: a commit every few milliseconds for `ms`, as a sync writes batches.
    const writeFor = async (ms: number): Promise<[number, number]> => {
      const start = performance.now()
      for (let i = 0; performance.now() - start < ms; i++) {
        await fast.syncState.put({ key: `k${i}`, value: i })
        await sleep(5)
      }
      return [start, performance.now()]
    }
    const between = (from: number, to: number): number => runs.filter((t) => t >= from && t < to).length
    const [start] = await writeFor(1300)
    // The first 300 ms at the short interval (~15 runs), from 550 ms on at most one per 250 ms.
    expect(between(start, start + 300)).toBeGreaterThanOrEqual(5)
    expect(between(start + 550, start + 1300)).toBeLessThanOrEqual(4)
    noteUserInput()
    const [acted, end] = await writeFor(300)
    sub.unsubscribe()
    // Input: the short interval again while the store still changes.
    expect(between(acted, end)).toBeGreaterThanOrEqual(5)
  })

  it('stops running once unsubscribed', async () => {
    const store = await openMailStore(`throttled-stop-${Date.now()}`)
    stores.push(store)
    const { fast } = store
    let runs = 0
    const sub = throttledLiveQuery(() => {
      runs++
      return fast.syncState.count()
    }, 10).subscribe(() => undefined)
    await sleep(30)
    sub.unsubscribe()
    const before = runs
    await fast.syncState.put({ key: 'after', value: 1 })
    await sleep(50)
    expect(runs).toBe(before)
  })
})
