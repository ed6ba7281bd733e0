import { AbortedError } from '@kafkit/client'

interface Waiter {
  resolve(): void
  reject(error: Error): void
}

/** Callers of whenStable() waiting for the member to settle in the group. */
export class StableWaiters {
  private readonly waiters = new Set<Waiter>()

  wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortedError(signal.reason))
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters.delete(waiter)
        reject(new AbortedError(signal?.reason))
      }
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.add(waiter)
    })
  }

  resolveAll(): void {
    for (const waiter of this.waiters) waiter.resolve()
    this.waiters.clear()
  }

  rejectAll(error: Error): void {
    for (const waiter of this.waiters) waiter.reject(error)
    this.waiters.clear()
  }
}
