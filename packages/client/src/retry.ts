import { KafkaError } from '@kafkit/protocol'
import { AbortedError, DeadlineExceededError } from './errors.js'

export interface RetryOptions {
  /** First backoff (Java's retry.backoff.ms). Default 100. */
  retryBackoffMs: number
  /** Backoff ceiling (Java's retry.backoff.max.ms). Default 1000. */
  retryBackoffMaxMs: number
  /** Time allowed for the whole operation, retries included. */
  deadlineMs: number
  signal?: AbortSignal
  /** Called before each retry, e.g. to refresh metadata after NOT_LEADER_OR_FOLLOWER. */
  onRetry?: (error: KafkaError, attempt: number) => void | Promise<void>
}

export const RETRY_DEFAULTS = { retryBackoffMs: 100, retryBackoffMaxMs: 1000 } as const

/**
 * Exponential backoff with ±20% jitter, as Java's ExponentialBackoff: the n-th
 * retry waits retryBackoffMs * 2^n, capped at retryBackoffMaxMs.
 */
export function backoffMs(
  attempt: number,
  options: Pick<RetryOptions, 'retryBackoffMs' | 'retryBackoffMaxMs'>,
): number {
  const base = Math.min(options.retryBackoffMaxMs, options.retryBackoffMs * 2 ** attempt)
  const jitter = base * 0.2 * (Math.random() * 2 - 1)
  return Math.max(0, Math.min(options.retryBackoffMaxMs, base + jitter))
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not
 * retriable, or the deadline passes. Only KafkaErrors marked retriable (from
 * the generated error table, or connection and timeout failures) are retried.
 */
export async function withRetries<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const deadline = performance.now() + options.deadlineMs
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw new AbortedError(options.signal.reason)
    try {
      return await operation(attempt)
    } catch (error) {
      if (!(error instanceof KafkaError) || !error.retriable || error instanceof AbortedError) throw error
      const wait = backoffMs(attempt, options)
      if (performance.now() + wait >= deadline) {
        throw new DeadlineExceededError(
          `gave up after ${attempt + 1} attempts in ${options.deadlineMs} ms: ${error.message}`,
          error,
        )
      }
      await options.onRetry?.(error, attempt)
      await sleep(wait, options.signal)
    }
  }
}

/** A backoff wait that an abort cuts short. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError(signal.reason))
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(new AbortedError(signal?.reason))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
