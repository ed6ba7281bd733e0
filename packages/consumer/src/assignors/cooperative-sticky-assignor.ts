// 'cooperative-sticky' (KIP-429): the sticky assignment, except that a partition moving from
// one member to another is left out of this round. Its owner sees it missing and revokes it,
// which triggers another rebalance in which it is free and goes to its new member. So no
// partition is ever owned by two members at once, and members keep consuming the rest.
import { AbstractStickyAssignor, DEFAULT_GENERATION } from './abstract-sticky-assignor.js'
import { JavaHashMap, TOPIC_PARTITION_KEY } from './java-hash-map.js'
import { decodeCooperativeUserData, encodeCooperativeUserData, type MemberData } from './sticky-user-data.js'
import type {
  Assignment,
  ClusterPartitions,
  GroupMember,
  MemberHistory,
  RebalanceProtocol,
  Subscription,
  TopicPartition,
} from './types.js'
import { partitionKey } from './types.js'

export class CooperativeStickyAssignor extends AbstractStickyAssignor {
  readonly name = 'cooperative-sticky'
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['COOPERATIVE', 'EAGER']

  /** The generation of the last assignment (-1 before the first), for leaders on subscription version 0-1. */
  subscriptionUserData(previous: MemberHistory | undefined): Uint8Array | null {
    return encodeCooperativeUserData(previous?.generationId ?? DEFAULT_GENERATION)
  }

  protected memberData(subscription: Subscription): MemberData {
    // Subscription version 2+ carries the generation itself; older members put it in the user data.
    if (subscription.generationId >= 0) {
      return { partitions: subscription.ownedPartitions, generation: subscription.generationId }
    }
    return { partitions: subscription.ownedPartitions, generation: decodeCooperativeUserData(subscription.userData) }
  }

  override assign(cluster: ClusterPartitions, members: readonly GroupMember[]): Map<string, Assignment> {
    const { input, assignment, partitionsTransferringOwnership } = this.stickyAssign(cluster, members)
    const transferring = partitionsTransferringOwnership ?? transfers(input.subscriptions, assignment)
    for (const [tp, consumer] of transferring) {
      const list = assignment.get(consumer)
      const index = list?.findIndex((p) => p.topic === tp.topic && p.partition === tp.partition) ?? -1
      if (index >= 0) list?.splice(index, 1)
    }
    return new Map([...assignment].map(([memberId, partitions]) => [memberId, { partitions, userData: null }]))
  }
}

/** Partitions assigned to a member that did not own them while another member owned them. */
function transfers(
  subscriptions: JavaHashMap<string, Subscription>,
  assignment: ReadonlyMap<string, readonly TopicPartition[]>,
): JavaHashMap<TopicPartition, string> {
  const added = new JavaHashMap<TopicPartition, string>(TOPIC_PARTITION_KEY)
  const revoked = new Set<string>()
  for (const [consumer, assigned] of assignment) {
    const owned = subscriptions.get(consumer)?.ownedPartitions ?? []
    const ownedKeys = new Set(owned.map(partitionKey))
    for (const tp of assigned) if (!ownedKeys.has(partitionKey(tp))) added.set(tp, consumer)
    const assignedKeys = new Set(assigned.map(partitionKey))
    for (const tp of owned) if (!assignedKeys.has(partitionKey(tp))) revoked.add(partitionKey(tp))
  }
  for (const [tp] of added) if (!revoked.has(partitionKey(tp))) added.delete(tp)
  return added
}
