/**
 * The consumer side of a multi-line answer: an async iterable of body chunks with backpressure. When more
 * than `highWater` bytes wait unread, the socket is paused (TCP then slows the server down), so streaming a
 * 25 MB RETR into a slow writer keeps memory bounded.
 */

/** What the stream asks of the connection that feeds it. */
export interface BodyStreamHooks {
  /** Stop reading from the socket (too many unread bytes). */
  pause(): void
  /** Read from the socket again. */
  resume(): void
  /** The consumer stopped early: the connection must still read (and drop) the rest of the answer. */
  abandon(): void
}

const DEFAULT_HIGH_WATER = 1 << 20

export class BodyStream implements AsyncIterable<Buffer> {
  private readonly queue: Buffer[] = []
  private queued = 0
  private paused = false
  private ended = false
  private failure: Error | undefined
  private abandoned = false
  private iterated = false
  private wake: (() => void) | undefined

  constructor(
    private readonly hooks: BodyStreamHooks,
    private readonly highWater = DEFAULT_HIGH_WATER,
  ) {}

  /** True once the whole answer arrived (or the consumer gave up); false while bytes are outstanding. */
  get finished(): boolean {
    return this.ended || this.abandoned || this.failure !== undefined
  }

  push(chunk: Buffer): void {
    if (this.abandoned) return
    this.queue.push(chunk)
    this.queued += chunk.length
    if (!this.paused && this.queued > this.highWater) {
      this.paused = true
      this.hooks.pause()
    }
    this.notify()
  }

  end(): void {
    this.ended = true
    this.notify()
  }

  /** The answer cannot complete (connection lost, timeout, abort): the consumer gets this error. */
  fail(error: Error): void {
    if (this.ended) return
    this.failure ??= error
    this.queue.length = 0
    this.queued = 0
    this.notify()
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    if (this.iterated) throw new Error('A POP3 body can be read only once')
    this.iterated = true
    return {
      next: () => this.next(),
      return: () => {
        if (!this.finished) {
          this.abandoned = true
          this.queue.length = 0
          this.queued = 0
          this.hooks.abandon()
        }
        return Promise.resolve({ done: true, value: undefined })
      },
    }
  }

  private async next(): Promise<IteratorResult<Buffer>> {
    for (;;) {
      // A failure wins over queued bytes: a cut message must never look like a short complete one.
      if (this.failure) throw this.failure
      const chunk = this.queue.shift()
      if (chunk !== undefined) {
        this.queued -= chunk.length
        if (this.paused && this.queued <= this.highWater / 2) {
          this.paused = false
          this.hooks.resume()
        }
        return { done: false, value: chunk }
      }
      if (this.ended || this.abandoned) return { done: true, value: undefined }
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
  }

  private notify(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }
}
