import { AuthorizationError, KafkaError } from '@kafkit/protocol'

/** One entry of an admin call that failed: the topic, group, resource or partition it concerns, and why. */
export interface AdminEntryFailure {
  /** What failed, as the user named it: a topic, `topic-partition`, a group id, `TOPIC:orders`, a principal. */
  readonly entry: string
  readonly error: KafkaError
}

/**
 * Some entries of an admin call failed. The call did everything it could for
 * the others: `succeeded` lists them, `failures` says which failed and why
 * (each error typed: `AuthorizationError` subclasses for missing permissions,
 * `ApiError` subclasses for the broker's other answers). Java's admin client
 * reports the same per entry, as one future each.
 */
export class AdminPartialFailureError<T = unknown> extends KafkaError {
  constructor(
    readonly operation: string,
    readonly failures: readonly AdminEntryFailure[],
    /** The results of the entries that succeeded (shape depends on the operation). */
    readonly succeeded: T,
  ) {
    super(
      `${operation} failed for ${failures.length} ${failures.length === 1 ? 'entry' : 'entries'}: ${failures
        .map(({ entry, error }) => `${entry}: ${error.message}`)
        .join('; ')}`,
      { retriable: failures.length > 0 && failures.every(({ error }) => error.retriable) },
    )
  }

  /** Whether every failure is a missing permission (Kafka's *_AUTHORIZATION_FAILED codes). */
  get authorizationOnly(): boolean {
    return this.failures.every(({ error }) => error instanceof AuthorizationError)
  }
}

/** Rejects with AdminPartialFailureError when any entry failed; otherwise returns `succeeded`. */
export function unlessFailures<T>(operation: string, failures: readonly AdminEntryFailure[], succeeded: T): T {
  if (failures.length > 0) throw new AdminPartialFailureError(operation, failures, succeeded)
  return succeeded
}
