/**
 * The consumer side of a multi-line answer: an async iterable of body chunks. Unread bytes are reported
 * to the connection (`queued` / `released`), which pauses the socket when the unread bytes of ALL its
 * answers pass a bound. With pipelined commands (RFC 2449 §6.6) several answers can hold unread bytes at
 * once, so the bound is per connection, not per answer: streaming a 25 MB RETR, or fifty small ones, into a
 * slow writer keeps memory bounded either way (TCP then slows the server down).
 */

/** What the stream tells the connection that feeds it. */
export interface BodyStreamHooks {
  /** `bytes` more wait unread. */
  queued(bytes: number): void
  /** `bytes` left the queue: read by the consumer, or dropped (abandoned, failed). */
  released(bytes: number): void
}

export class BodyStream implements AsyncIterable<Buffer> {
  private readonly queue: Buffer[] = []
  private queued = 0
  private ended = false
  private failure: Error | undefined
  private abandoned = false
  private iterated = false
  private wake: (() => void) | undefined

  constructor(private readonly hooks: BodyStreamHooks) {}

  /** True once the whole answer arrived (or the consumer gave up); false while bytes are outstanding. */
  get finished(): boolean {
    return this.ended || this.abandoned || this.failure !== undefined
  }

  push(chunk: Buffer): void {
    if (this.abandoned) return
    this.queue.push(chunk)
    this.queued += chunk.length
    this.hooks.queued(chunk.length)
    this.notify()
  }

  end(): void {
    this.ended = true
    this.notify()
  }

  /** The answer cannot complete (connection lost, timeout, abort): the consumer gets this error. */
  fail(error: Error): void {
    // A complete answer stays readable: its terminating line arrived before the failure.
    if (this.ended) return
    this.failure ??= error
    this.drop()
    this.notify()
  }

  /**
   * The consumer will not read on: queued bytes are dropped now, and bytes still to come are read from the
   * socket and dropped, so the connection stays usable for the next answer. Idempotent.
   */
  abandon(): void {
    if (!this.finished) this.abandoned = true
    this.drop()
    this.notify()
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    if (this.iterated) throw new Error('A POP3 body can be read only once')
    this.iterated = true
    return {
      next: () => this.next(),
      return: () => {
        this.abandon()
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
        this.hooks.released(chunk.length)
        return { done: false, value: chunk }
      }
      if (this.ended || this.abandoned) return { done: true, value: undefined }
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
  }

  private drop(): void {
    const bytes = this.queued
    this.queue.length = 0
    this.queued = 0
    if (bytes > 0) this.hooks.released(bytes)
  }

  private notify(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }
}
