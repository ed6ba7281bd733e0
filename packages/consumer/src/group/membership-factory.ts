import type { KafkaClient } from '@kafkit/client'
import { CooperativeStickyAssignor } from '../assignors/cooperative-sticky-assignor.js'
import { RangeAssignor } from '../assignors/range-assignor.js'
import { RoundRobinAssignor } from '../assignors/round-robin-assignor.js'
import { StickyAssignor } from '../assignors/sticky-assignor.js'
import type { Assignor } from '../assignors/types.js'
import type { AssignorName, ResolvedConsumerOptions } from '../options.js'
import { ClassicMembership } from './classic/classic-membership.js'
import { ConsumerProtocolMembership } from './consumer-protocol/consumer-protocol-membership.js'
import type { GroupMembership } from './group-membership.js'

/** What a membership is made from: the consumer's client and its options (with a groupId). */
export interface MembershipContext {
  client: KafkaClient
  options: ResolvedConsumerOptions & { groupId: string }
}

export type MembershipConstructor = (context: MembershipContext) => GroupMembership

const overrides = new Map<'classic' | 'consumer', MembershipConstructor>()

/** Replaces the implementation of a group protocol (tests use a fake); `undefined` restores the real one. */
export function registerMembership(protocol: 'classic' | 'consumer', create: MembershipConstructor | undefined): void {
  if (create) overrides.set(protocol, create)
  else overrides.delete(protocol)
}

const ASSIGNORS: Record<AssignorName, () => Assignor> = {
  range: () => new RangeAssignor(),
  roundrobin: () => new RoundRobinAssignor(),
  sticky: () => new StickyAssignor(),
  'cooperative-sticky': () => new CooperativeStickyAssignor(),
}

/** The membership for the consumer's `groupProtocol`: classic (JoinGroup/SyncGroup) or consumer (KIP-848). */
export function createMembership(context: MembershipContext): GroupMembership {
  const { client, options } = context
  const override = overrides.get(options.groupProtocol)
  if (override) return override(context)
  const common = {
    groupId: options.groupId,
    groupInstanceId: options.groupInstanceId ?? null,
    rebalanceTimeoutMs: options.rebalanceTimeoutMs,
    maxPollIntervalMs: options.maxPollIntervalMs,
    clientRack: options.clientRack === '' ? null : options.clientRack,
    requestTimeoutMs: options.requestTimeoutMs,
    retryBackoffMs: options.retryBackoffMs,
    retryBackoffMaxMs: options.retryBackoffMaxMs,
    logger: client.logger,
  }
  if (options.groupProtocol === 'consumer') {
    return new ConsumerProtocolMembership(client, {
      ...common,
      serverAssignor: options.groupRemoteAssignor ?? null,
      subscribedTopicRegex: null,
    })
  }
  return new ClassicMembership(client, {
    ...common,
    sessionTimeoutMs: options.sessionTimeoutMs,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    assignors: options.partitionAssigners.map((a) => (typeof a === 'string' ? ASSIGNORS[a]() : a)),
  })
}
