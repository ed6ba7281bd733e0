/**
 * Waiting helpers for tests: poll a condition until a deadline instead of
 * sleeping for a fixed time, and capture a promise's outcome at once so a
 * rejection is never left unhandled while the test does something else.
 */

export interface EventuallyOptions {
  /** Give up after this long. Default 5000. */
  timeoutMs?: number
  /** Time between probes. Default 5. */
  intervalMs?: number
}

/** Resolves with the first truthy value `probe` returns; fails, with `what` in the message, at the deadline. */
export async function eventually<T>(
  what: string,
  probe: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<NonNullable<T>> {
  const deadline = performance.now() + (options.timeoutMs ?? 5000)
  for (;;) {
    const value = await probe()
    if (value) return value as NonNullable<T>
    if (performance.now() >= deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 5))
  }
}

export type Outcome<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown }

/** The outcome of `promise`, observed from now on (so an early rejection is handled). */
export function capture<T>(promise: Promise<T>): Promise<Outcome<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  )
}

/** The outcome `capture` observes, or a failure naming `what` if it is still pending after `timeoutMs`. */
export async function settledWithin<T>(
  what: string,
  outcome: Promise<Outcome<T>>,
  timeoutMs = 5000,
): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined
  const pending = Symbol('pending')
  const result = await Promise.race([
    outcome,
    new Promise<typeof pending>((resolve) => (timer = setTimeout(() => resolve(pending), timeoutMs))),
  ])
  clearTimeout(timer)
  if (result === pending) throw new Error(`${what} was still pending after ${timeoutMs} ms`)
  return result
}

/** The reason `promise` rejected; fails if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  const outcome = await capture(promise)
  if (outcome.status === 'fulfilled') throw new Error('expected a rejection, but the promise resolved')
  return outcome.reason
}

/** A promise the test resolves when it chooses: hold a fake broker's answer until then. */
export function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {}
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { opened, open }
}
