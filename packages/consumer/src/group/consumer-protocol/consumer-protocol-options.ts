import type { Logger } from '@kafkit/client'
import { InvalidMessageError } from '@kafkit/protocol'
import { checkGroupIdentity, checkPositiveMs } from '../membership-option-checks.js'

/** The server-side assignors Kafka 4.1 offers (group.consumer.assignors). */
export type ServerAssignorName = 'uniform' | 'range'

/** What a KIP-848 group member needs, already resolved from the consumer's options (Java's names and defaults). */
export interface ConsumerProtocolMembershipOptions {
  readonly groupId: string
  /** group.instance.id of a static member, null for a dynamic one. */
  readonly groupInstanceId: string | null
  /**
   * How long the member may take to revoke partitions before the coordinator
   * fences it. Java sends max.poll.interval.ms. Default 300 000.
   */
  readonly rebalanceTimeoutMs: number
  /** The member leaves the group when the application does not ask for records for this long. Default 300 000. */
  readonly maxPollIntervalMs: number
  /** group.remote.assignor; null lets the broker pick (its first configured assignor, 'uniform' by default). */
  readonly serverAssignor: ServerAssignorName | null
  /**
   * A subscription the broker resolves (RE2/J syntax, matched against whole
   * topic names); when set, the topic names given to start() and
   * updateSubscription() are ignored. Null subscribes to those names.
   */
  readonly subscribedTopicRegex: string | null
  /** client.rack, sent when joining for rack-aware assignment; null when not set. */
  readonly clientRack: string | null
  /** Heartbeats give up after this long and are retried. Default 30 000. */
  readonly requestTimeoutMs: number
  readonly retryBackoffMs: number
  readonly retryBackoffMaxMs: number
  readonly logger: Logger
}

/** Throws at construction on options that cannot work, saying what to change. */
export function checkConsumerProtocolOptions(options: ConsumerProtocolMembershipOptions): void {
  checkGroupIdentity(options)
  checkPositiveMs(options, ['rebalanceTimeoutMs', 'maxPollIntervalMs', 'requestTimeoutMs'])
  for (const name of ['retryBackoffMs', 'retryBackoffMaxMs'] as const) {
    const value = options[name]
    if (!Number.isInteger(value) || value < 0) {
      throw new InvalidMessageError(`${name} must be a non-negative integer of milliseconds, got ${value}`)
    }
  }
  if (options.serverAssignor !== null && options.serverAssignor !== 'uniform' && options.serverAssignor !== 'range') {
    throw new InvalidMessageError(
      `serverAssignor must be 'uniform' or 'range' (the assignors Kafka's brokers offer), got '${String(options.serverAssignor)}'`,
    )
  }
  if (options.subscribedTopicRegex !== null && options.subscribedTopicRegex === '') {
    throw new InvalidMessageError('subscribedTopicRegex must be null or a non-empty RE2/J pattern')
  }
  if (options.clientRack !== null && options.clientRack === '') {
    throw new InvalidMessageError('clientRack must be null or a non-empty string')
  }
}
