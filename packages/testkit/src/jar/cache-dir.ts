import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Where downloaded jars and generated TLS material are kept between runs:
 * KAFKIT_CACHE_DIR, else $XDG_CACHE_HOME/kafkit, else ~/.cache/kafkit. Outside
 * the repository, so a clean clone reuses what an earlier run fetched.
 */
export function kafkitCacheDir(): string {
  if (process.env.KAFKIT_CACHE_DIR) return process.env.KAFKIT_CACHE_DIR
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kafkit')
}
