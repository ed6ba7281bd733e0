import { createRequire } from 'node:module'
import { CompressionUnavailableError } from './codec.js'

/**
 * The native codec libraries load on first use, not at import: a platform
 * without a prebuilt binary for one codec can still use the others, and gets a
 * typed error naming the package only when it meets that codec.
 */
const require = createRequire(import.meta.url)

function lazy<T>(packageName: string, codec: string): () => T {
  let loaded: T | undefined
  let failure: unknown
  return () => {
    if (loaded !== undefined) return loaded
    if (failure === undefined) {
      try {
        loaded = require(packageName) as T
        return loaded
      } catch (error) {
        failure = error
      }
    }
    const reason = failure instanceof Error ? failure.message : String(failure)
    throw new CompressionUnavailableError(
      `${codec} compression needs the "${packageName}" package, which failed to load on ${process.platform}-${process.arch}: ${reason}`,
      { cause: failure },
    )
  }
}

export const loadSnappy = lazy<typeof import('snappy')>('snappy', 'snappy')
export const loadLz4 = lazy<typeof import('lz4-napi')>('lz4-napi', 'lz4')
export const loadZstd = lazy<typeof import('@mongodb-js/zstd')>('@mongodb-js/zstd', 'zstd')
