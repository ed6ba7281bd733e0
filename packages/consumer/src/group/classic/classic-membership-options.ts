import type { Logger } from '@kafkit/client'
import { InvalidMessageError } from '@kafkit/protocol'
import type { Assignor, RebalanceProtocol } from '../../assignors/types.js'
import { checkGroupIdentity, checkPositiveMs } from '../membership-option-checks.js'

/** What a classic group member needs, already resolved from the consumer's options (Java's names and defaults). */
export interface ClassicMembershipOptions {
  readonly groupId: string
  /** group.instance.id of a static member (KIP-345), null for a dynamic one. */
  readonly groupInstanceId: string | null
  /** The coordinator expires the member after this long without a heartbeat. Java default 45 000. */
  readonly sessionTimeoutMs: number
  /** How long the coordinator waits for members to rejoin: Java sends max.poll.interval.ms. Default 300 000. */
  readonly rebalanceTimeoutMs: number
  /** The member leaves the group when the application does not ask for records for this long. Default 300 000. */
  readonly maxPollIntervalMs: number
  /** Time between heartbeats. Java default 3000. */
  readonly heartbeatIntervalMs: number
  /** Assignors in order of preference; each becomes one protocol of JoinGroup. */
  readonly assignors: readonly Assignor[]
  /** client.rack, sent in the subscription (v3) for rack-aware assignment; null when not set. */
  readonly clientRack: string | null
  /** Default 30 000: requests other than JoinGroup give up after this long. */
  readonly requestTimeoutMs: number
  readonly retryBackoffMs: number
  readonly retryBackoffMaxMs: number
  readonly logger: Logger
}

/** Throws at construction on options that cannot work, saying what to change. */
export function checkClassicOptions(options: ClassicMembershipOptions): void {
  checkGroupIdentity(options)
  checkPositiveMs(options, [
    'sessionTimeoutMs',
    'rebalanceTimeoutMs',
    'maxPollIntervalMs',
    'heartbeatIntervalMs',
    'requestTimeoutMs',
  ])
  if (options.heartbeatIntervalMs >= options.sessionTimeoutMs) {
    throw new InvalidMessageError(
      `heartbeatIntervalMs (${options.heartbeatIntervalMs}) must be lower than sessionTimeoutMs (${options.sessionTimeoutMs}); a third of it is usual`,
    )
  }
  if (options.assignors.length === 0) throw new InvalidMessageError('assignors must name at least one assignor')
  const names = new Set<string>()
  for (const assignor of options.assignors) {
    if (names.has(assignor.name)) throw new InvalidMessageError(`assignor "${assignor.name}" is listed twice`)
    names.add(assignor.name)
  }
  rebalanceProtocolOf(options.assignors)
}

/**
 * The rebalance protocol of a member: COOPERATIVE (KIP-429) when every assignor
 * supports it, else EAGER; assignors without EAGER or COOPERATIVE in common fail,
 * as Java's ConsumerCoordinator does.
 */
export function rebalanceProtocolOf(assignors: readonly Assignor[]): RebalanceProtocol {
  const common = (['COOPERATIVE', 'EAGER'] as const).filter((protocol) =>
    assignors.every((assignor) => assignor.supportedProtocols.includes(protocol)),
  )
  const chosen = common[0]
  if (chosen === undefined) {
    throw new InvalidMessageError(
      `assignors ${assignors.map((a) => a.name).join(', ')} have no rebalance protocol in common: list only cooperative ones or only eager ones`,
    )
  }
  return chosen
}
