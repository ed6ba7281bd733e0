import { mkdir, rm, stat } from 'node:fs/promises'
import { setTimeout as delay } from 'node:timers/promises'

const STALE_LOCK_MS = 15 * 60_000
const POLL_MS = 200

/**
 * Runs `work` while holding a lock directory, so that parallel test workers (or
 * parallel CI jobs sharing a cache) do not download or generate the same files
 * at once. mkdir is atomic, which makes the directory a lock; a lock older than
 * any legitimate holder is taken over.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + STALE_LOCK_MS
  for (;;) {
    try {
      await mkdir(lockPath)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const age = await stat(lockPath).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      )
      if (age > STALE_LOCK_MS || Date.now() > deadline) await rm(lockPath, { recursive: true, force: true })
      else await delay(POLL_MS)
    }
  }
  try {
    return await work()
  } finally {
    await rm(lockPath, { recursive: true, force: true })
  }
}
