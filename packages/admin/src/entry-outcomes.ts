import { DeadlineExceededError } from '@kafkit/client'
import { KafkaError } from '@kafkit/protocol'
import type { AdminEntryFailure } from './admin-error.js'
import type { AdminRouter } from './admin-router.js'

/** What one attempt learnt about one entry: its result, or an error that is final or worth another attempt. */
export type EntryOutcome<R> = { result: R } | { error: KafkaError; retry: boolean }

export interface SettledEntries<K, R> {
  /** Results by entry, in the order the entries were given. */
  succeeded: Map<K, R>
  failures: AdminEntryFailure[]
}

/**
 * Runs `attempt` for the entries still pending until each has a result or a
 * final error, as Java's admin client retries per entry: an entry that failed
 * with a retriable error (NOT_CONTROLLER, a moved leader...) is sent again,
 * alone with the others in that state, after a backoff; the rest keep their
 * outcome. When the deadline passes, or the whole request fails for good,
 * every pending entry fails with that error. `onRetry` runs before each retry
 * (a metadata refresh, say).
 */
export async function settleEntries<K, R>(
  router: AdminRouter,
  entries: readonly K[],
  nameOf: (entry: K) => string,
  attempt: (pending: readonly K[]) => Promise<Map<K, EntryOutcome<R>>>,
  onRetry?: (errors: readonly KafkaError[]) => Promise<void>,
): Promise<SettledEntries<K, R>> {
  const results = new Map<K, R>()
  const errors = new Map<K, KafkaError>()
  let pending = [...entries]
  try {
    await router.retrying(
      async () => {
        const outcomes = await attempt(pending)
        const again: K[] = []
        let retriable: KafkaError | undefined
        for (const entry of pending) {
          const outcome = outcomes.get(entry)
          if (outcome === undefined) {
            errors.set(entry, new KafkaError(`the broker did not answer for ${nameOf(entry)}`, { retriable: true }))
            again.push(entry)
          } else if ('result' in outcome) {
            results.set(entry, outcome.result)
            errors.delete(entry)
          } else {
            errors.set(entry, outcome.error)
            if (outcome.retry) {
              again.push(entry)
              retriable ??= outcome.error
            }
          }
        }
        pending = again
        if (pending.length > 0) throw retriableCopy(retriable ?? errors.get(pending[0]!)!)
      },
      async () => {
        await onRetry?.(pending.map((entry) => errors.get(entry)!).filter(Boolean))
      },
    )
  } catch (error) {
    if (!(error instanceof KafkaError)) throw error
    for (const entry of pending) {
      // Out of time: the entry's own last error (typed, with the broker's words) says more than "gave up".
      if (!(error instanceof DeadlineExceededError && errors.has(entry))) errors.set(entry, error)
    }
  }
  const succeeded = new Map<K, R>()
  const failures: AdminEntryFailure[] = []
  for (const entry of entries) {
    const result = results.get(entry)
    const failure = errors.get(entry)
    if (failure) failures.push({ entry: nameOf(entry), error: failure })
    else if (results.has(entry)) succeeded.set(entry, result as R)
  }
  return { succeeded, failures }
}

/** An error that makes `retrying` try again, whatever the retriable flag of the original. */
function retriableCopy(error: KafkaError): KafkaError {
  if (error.retriable) return error
  return new KafkaError(error.message, { retriable: true, cause: error })
}
