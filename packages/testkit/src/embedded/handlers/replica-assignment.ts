/**
 * Replica placement rules of CreateTopics and CreatePartitions: manual
 * assignments are checked as Kafka's controller checks them, then applied over
 * the placement the cluster state chose, so the first live replica listed leads.
 */
import type { ClusterState, PartitionState } from '../state/cluster-state.js'

/**
 * Why a list of per-partition replica lists cannot be used (INVALID_REPLICA_ASSIGNMENT),
 * or undefined. `replicationFactor` is what existing partitions have, if any.
 */
export function invalidAssignment(
  cluster: ClusterState,
  assignments: readonly (readonly number[])[],
  replicationFactor?: number,
): string | undefined {
  let expected = replicationFactor
  for (const brokerIds of assignments) {
    if (brokerIds.length === 0) return 'The manual partition assignment includes an empty replica list.'
    if (expected !== undefined && brokerIds.length !== expected) {
      return `The manual partition assignment includes a partition with ${brokerIds.length} replica(s), but this is not consistent with previous partitions, which have ${expected} replica(s).`
    }
    expected = brokerIds.length
    const duplicate = brokerIds.find((id, i) => brokerIds.indexOf(id) !== i)
    if (duplicate !== undefined) {
      return `The manual partition assignment includes the broker ${duplicate} more than once.`
    }
    const unknown = brokerIds.find((id) => !cluster.broker(id))
    if (unknown !== undefined) {
      return `The manual partition assignment includes broker ${unknown}, but no such broker is registered.`
    }
  }
  return undefined
}

/** Puts a partition's replicas where the request says; a stopped broker stays out of the ISR. */
export function assignReplicas(cluster: ClusterState, partition: PartitionState, brokerIds: readonly number[]): void {
  partition.replicas = [...brokerIds]
  partition.isr = brokerIds.filter((id) => cluster.broker(id)?.running)
  partition.leader = partition.isr[0] ?? -1
}

/** Kafka's message when there are fewer usable brokers than replicas asked for. */
export function unreachableReplicationFactor(replicationFactor: number, brokers: number): string {
  return `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${brokers} broker(s) are registered.`
}

/** Replicas placed on stopped brokers move to running ones: Kafka places new replicas only on unfenced brokers. */
export function avoidStoppedBrokers(cluster: ClusterState, partitions: readonly PartitionState[]): void {
  const running = cluster.runningBrokers().map((broker) => broker.nodeId)
  for (const partition of partitions) {
    if (partition.replicas.every((id) => running.includes(id))) continue
    const spare = running.filter((id) => !partition.replicas.includes(id))
    assignReplicas(
      cluster,
      partition,
      partition.replicas.map((id) => (running.includes(id) ? id : (spare.shift() ?? id))),
    )
  }
}
