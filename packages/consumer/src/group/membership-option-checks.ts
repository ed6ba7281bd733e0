import { InvalidMessageError } from '@kafkit/protocol'

// The option checks both group protocols (classic and KIP-848) make the same way, so a bad
// value fails with the same message whichever protocol the consumer uses.

interface GroupIdentity {
  readonly groupId: string
  readonly groupInstanceId: string | null
}

/** groupId non-empty; groupInstanceId null (a dynamic member) or non-empty (a static one). */
export function checkGroupIdentity(options: GroupIdentity): void {
  if (typeof options.groupId !== 'string' || options.groupId === '') {
    throw new InvalidMessageError('groupId must be a non-empty string')
  }
  if (options.groupInstanceId !== null && options.groupInstanceId === '') {
    throw new InvalidMessageError('groupInstanceId must be null or a non-empty string')
  }
}

/** Each named option is a whole number of milliseconds above zero. */
export function checkPositiveMs<K extends string>(options: Readonly<Record<K, number>>, names: readonly K[]): void {
  for (const name of names) {
    const value = options[name]
    if (!Number.isInteger(value) || value <= 0) {
      throw new InvalidMessageError(`${name} must be a positive integer of milliseconds, got ${value}`)
    }
  }
}
