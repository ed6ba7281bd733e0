import { InvalidMessageError } from '@kafkit/protocol'

/**
 * Checks of the arguments of admin calls. Each throws InvalidMessageError with
 * a message that says what to pass instead, so a typo fails at the call rather
 * than as a broker error or a silently ignored option.
 */

/** A non-empty array (`what` names it in the message, e.g. "createTopics topics"). */
export function requireNonEmptyArray<T>(value: readonly T[] | undefined, what: string, example: string): readonly T[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidMessageError(`${what} must be a non-empty array, e.g. ${example}; got ${describe(value)}`)
  }
  return value
}

/** An object whose keys are all among `allowed`, so a misspelt option is not silently ignored. */
export function requireOptions(value: unknown, what: string, allowed: readonly string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidMessageError(`${what} must be an object with ${allowed.join(', ')}; got ${describe(value)}`)
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new InvalidMessageError(`${what} has no option "${key}"; the options are ${allowed.join(', ')}`)
    }
  }
}

/** A non-empty string, such as a topic name. */
export function requireName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidMessageError(`${what} must be a non-empty string; got ${describe(value)}`)
  }
  return value
}

/** An integer of at least `min`, or undefined when the option is optional and absent. */
export function optionalInteger(value: unknown, what: string, min: number): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 2 ** 31 - 1) {
    throw new InvalidMessageError(`${what} must be an integer >= ${min}; got ${describe(value)}`)
  }
  return value
}

/** An integer of at least `min`. */
export function requireInteger(value: unknown, what: string, min: number): number {
  const checked = optionalInteger(value, what, min)
  if (checked === undefined) throw new InvalidMessageError(`${what} must be an integer >= ${min}; got undefined`)
  return checked
}

/** An optional boolean flag. */
export function optionalBoolean(value: unknown, what: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value
  throw new InvalidMessageError(`${what} must be true or false; got ${describe(value)}`)
}

/** An offset: a bigint (or a safe integer number, converted) of at least `min`. */
export function requireOffset(value: unknown, what: string, min: bigint): bigint {
  const offset =
    typeof value === 'bigint'
      ? value
      : typeof value === 'number' && Number.isSafeInteger(value)
        ? BigInt(value)
        : undefined
  if (offset === undefined || offset < min) {
    throw new InvalidMessageError(`${what} must be a bigint offset >= ${min} (e.g. 42n); got ${describe(value)}`)
  }
  return offset
}

/** A value as a message shows it (bigints and undefined included). */
export function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`
  if (value === undefined) return 'undefined'
  if (typeof value === 'string') return JSON.stringify(value)
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value)
  } catch {
    return String(value)
  }
}
