import { InvalidMessageError } from '@kafkit/protocol'

/** Options of `kafka.admin()`; Java's admin client defaults. */
export interface AdminOptions {
  /** Time an admin call may take, retries included (Java's default.api.timeout.ms). Default 60 000. */
  defaultApiTimeoutMs?: number
  /** First backoff between retries (Java's retry.backoff.ms). Default 100. */
  retryBackoffMs?: number
  /** Backoff ceiling (Java's retry.backoff.max.ms). Default 1000. */
  retryBackoffMaxMs?: number
}

export type ResolvedAdminOptions = Required<AdminOptions>

const DEFAULTS: ResolvedAdminOptions = { defaultApiTimeoutMs: 60_000, retryBackoffMs: 100, retryBackoffMaxMs: 1000 }

export function resolveAdminOptions(options: AdminOptions = {}): ResolvedAdminOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidMessageError('admin() options must be an object, e.g. { defaultApiTimeoutMs: 60000 }')
  }
  for (const name of Object.keys(options)) {
    if (!(name in DEFAULTS)) {
      throw new InvalidMessageError(
        `unknown admin option "${name}"; the options are ${Object.keys(DEFAULTS).join(', ')}`,
      )
    }
  }
  const resolved = { ...DEFAULTS }
  for (const name of Object.keys(DEFAULTS) as (keyof ResolvedAdminOptions)[]) {
    const value = options[name]
    if (value === undefined) continue
    if (!Number.isInteger(value) || value < 0) {
      throw new InvalidMessageError(`admin option ${name} must be an integer >= 0 (milliseconds); got ${String(value)}`)
    }
    resolved[name] = value
  }
  return resolved
}
