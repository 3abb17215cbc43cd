/**
 * One POP3 conversation per account at a time inside this worker: a check and a "load full message" for
 * the same account wait for each other. Servers that lock the maildrop (RFC 1939 §8 allows it; Dovecot
 * with pop3_lock_session) would otherwise refuse the second login with [IN-USE].
 */
const chains = new Map<string, Promise<unknown>>()

export function withAccountLock<T>(accountId: string, fn: () => Promise<T>): Promise<T> {
  const previous = chains.get(accountId) ?? Promise.resolve()
  const run = previous.catch(() => undefined).then(fn)
  const tail = run.catch(() => undefined)
  chains.set(accountId, tail)
  void tail.then(() => {
    if (chains.get(accountId) === tail) chains.delete(accountId)
  })
  return run
}
