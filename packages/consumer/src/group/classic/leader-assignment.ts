import type { Cluster, Logger } from '@kafkit/client'
import type { JoinGroupResponseJoinGroupResponseMember } from '@kafkit/protocol'
import { decodeSubscription, encodeAssignment } from '../../assignors/consumer-protocol.js'
import {
  type Assignor,
  type ClusterPartitions,
  type GroupMember,
  type PartitionMetadata,
  partitionKey,
} from '../../assignors/types.js'

/**
 * The leader's part of a rebalance (Java's ConsumerCoordinator.onLeaderElected):
 * reads every member's subscription, loads the metadata of all their topics, with
 * the racks of each partition's replicas for rack-aware assignment, and runs the
 * group's chosen assignor. Returns the SyncGroup assignments, one per member, and
 * the partition counts they were computed from.
 */
export async function assignAsLeader(
  cluster: Cluster,
  assignor: Assignor,
  joined: readonly JoinGroupResponseJoinGroupResponseMember[],
  options: { signal: AbortSignal; logger: Logger; cooperative: boolean },
): Promise<LeaderAssignment> {
  const members: GroupMember[] = joined.map((m) => ({
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId,
    subscription: decodeSubscription(m.metadata),
  }))
  const topics = [...new Set(members.flatMap((m) => m.subscription.topics))]
  await cluster.refreshMetadata({ topics, signal: options.signal })
  const partitions = new Map<string, readonly PartitionMetadata[]>()
  for (const topic of topics) {
    const metadata = cluster.metadata.topic(topic)
    // A topic that does not exist (yet) is left out, as Java's leader does; it is assigned once it appears.
    if (metadata === undefined || metadata.errorCode !== 0) continue
    const list = metadata.partitions
      .filter((p) => p !== undefined)
      .map((p) => ({
        partition: p.partition,
        replicaRacks: p.replicas.map((id) => cluster.metadata.broker(id)?.rack ?? null),
      }))
    if (list.length > 0) partitions.set(topic, list)
  }
  const assignments = assignor.assign(partitions satisfies ClusterPartitions, members)
  if (options.cooperative) checkCooperative(members, assignments, options.logger)
  return {
    assignments: members.map((m) => ({
      memberId: m.memberId,
      assignment: encodeAssignment(assignments.get(m.memberId) ?? { partitions: [], userData: null }),
    })),
    partitionCounts: partitionCounts(cluster, topics),
  }
}

export interface LeaderAssignment {
  /** SyncGroup's assignments, one per member. */
  assignments: { memberId: string; assignment: Buffer }[]
  /** Partitions per topic the assignment was computed from (Java's assignmentSnapshot). */
  partitionCounts: ReadonlyMap<string, number>
}

/** Partitions per topic in the metadata now; a topic the metadata lacks counts 0. */
export function partitionCounts(cluster: Cluster, topics: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const topic of topics) {
    const metadata = cluster.metadata.topic(topic)
    counts.set(topic, metadata === undefined || metadata.errorCode !== 0 ? 0 : metadata.partitions.length)
  }
  return counts
}

/**
 * KIP-429's rule (Java's validateCooperativeAssignment): a partition never goes
 * straight from one owner to another in one rebalance; it is first revoked, then
 * assigned in the next. A cooperative assignor that breaks it is a bug, logged loudly.
 */
function checkCooperative(
  members: readonly GroupMember[],
  assignments: ReadonlyMap<string, { readonly partitions: readonly { topic: string; partition: number }[] }>,
  logger: Logger,
): void {
  const ownerOf = new Map<string, string>()
  for (const m of members) for (const tp of m.subscription.ownedPartitions) ownerOf.set(partitionKey(tp), m.memberId)
  for (const [memberId, assignment] of assignments) {
    for (const tp of assignment.partitions) {
      const owner = ownerOf.get(partitionKey(tp))
      if (owner !== undefined && owner !== memberId) {
        logger.error('cooperative assignor moved an owned partition directly to another member', {
          topic: tp.topic,
          partition: tp.partition,
          from: owner,
          to: memberId,
        })
      }
    }
  }
}
