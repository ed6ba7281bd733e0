import { setTimeout as delay } from 'node:timers/promises'

/**
 * Polls `check` until it returns a value other than undefined, or fails after
 * `timeoutMs` with the description and the last error seen. Tests wait for
 * conditions this way, never for a fixed time.
 */
export async function waitFor<T>(
  description: string,
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 60_000, intervalMs = 250 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : ''
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${description}${why}`)
    }
    await delay(intervalMs)
  }
}
