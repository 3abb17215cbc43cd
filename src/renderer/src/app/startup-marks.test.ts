import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

/** A fresh module each test: the marks are set once per page load. */
async function load(): Promise<typeof import('./startup-marks')> {
  vi.resetModules()
  return import('./startup-marks')
}

describe('afterFirstScreen', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    // Frames every 16 ms, as timers (Node has no requestAnimationFrame).
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => setTimeout(cb, 16))
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('starts once the frame that draws the first rows is done, not before', async () => {
    const { afterFirstScreen, markStartup } = await load()
    const start = vi.fn()
    afterFirstScreen(start, true, 1000)
    await vi.advanceTimersByTimeAsync(500)
    expect(start).not.toHaveBeenCalled()
    markStartup('first-rows')
    await vi.advanceTimersByTimeAsync(20)
    expect(start).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(15)
    expect(start).toHaveBeenCalledTimes(1)
    // The cap passing later starts nothing again.
    await vi.advanceTimersByTimeAsync(1000)
    expect(start).toHaveBeenCalledTimes(1)
  })

  it('starts after the first frames when no rows are to be drawn', async () => {
    const { afterFirstScreen } = await load()
    const start = vi.fn()
    afterFirstScreen(start, false, 1000)
    await vi.advanceTimersByTimeAsync(35)
    expect(start).toHaveBeenCalledTimes(1)
  })

  it('starts at the cap when the rows never come', async () => {
    const { afterFirstScreen } = await load()
    const start = vi.fn()
    afterFirstScreen(start, true, 1000)
    await vi.advanceTimersByTimeAsync(999)
    expect(start).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(start).toHaveBeenCalledTimes(1)
  })

  it('starts at once (after a frame) when the rows were drawn before it was called', async () => {
    const { afterFirstScreen, markStartup } = await load()
    markStartup('first-rows')
    const start = vi.fn()
    afterFirstScreen(start, true, 1000)
    await vi.advanceTimersByTimeAsync(35)
    expect(start).toHaveBeenCalledTimes(1)
  })
})
