/**
 * Runs async jobs one after another. Stores that read-modify-write a file use it so two concurrent changes
 * can never both start from the same old content and lose one another.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job)
    // A failed job must not poison the jobs queued after it.
    this.tail = result.catch(() => undefined)
    return result
  }

  /** Resolves once every job queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail.catch(() => undefined)
  }
}
