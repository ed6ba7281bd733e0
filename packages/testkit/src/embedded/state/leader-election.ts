/**
 * Leader elections as Kafka's controller makes them (PartitionChangeBuilder):
 * a valid leader is an in-sync replica on a running broker. The embedded
 * cluster has no eligible leader replicas (KIP-966) and no recovery state.
 */
import type { ClusterState, PartitionState } from './cluster-state.js'

/** Whether `nodeId` may lead: in the ISR and its broker running. */
export function isValidLeader(cluster: ClusterState, partition: PartitionState, nodeId: number): boolean {
  return partition.isr.includes(nodeId) && cluster.broker(nodeId)?.running === true
}

/** Sets the leader; a new leader (or replicas removed, `force`) bumps the leader epoch, as Kafka does. */
export function setLeader(partition: PartitionState, leader: number, force = false): void {
  if (leader === partition.leader && !force) return
  partition.leader = leader
  partition.leaderEpoch++
}

/**
 * An election that keeps a valid leader and otherwise picks the first valid
 * replica in replica order (Kafka's "online" election, used after a
 * reassignment). `forceEpochBump` when the replica set lost members.
 */
export function electOnline(cluster: ClusterState, partition: PartitionState, forceEpochBump = false): void {
  if (isValidLeader(cluster, partition, partition.leader)) {
    setLeader(partition, partition.leader, forceEpochBump)
    return
  }
  const next = partition.replicas.find((id) => isValidLeader(cluster, partition, id)) ?? -1
  setLeader(partition, next, forceEpochBump)
}

/**
 * Preferred election: the first replica if it is valid, else the current
 * leader stays, else the next valid replica. Returns false when nothing
 * changed (Kafka answers PREFERRED_LEADER_NOT_AVAILABLE).
 */
export function electPreferred(cluster: ClusterState, partition: PartitionState): boolean {
  const [preferred] = partition.replicas
  let leader: number
  if (preferred !== undefined && isValidLeader(cluster, partition, preferred)) leader = preferred
  else if (isValidLeader(cluster, partition, partition.leader)) leader = partition.leader
  else leader = partition.replicas.slice(1).find((id) => isValidLeader(cluster, partition, id)) ?? -1
  if (leader === partition.leader) return false
  setLeader(partition, leader)
  return true
}

/**
 * Unclean election of a leaderless partition: an in-sync replica if one is
 * valid, else the first replica on a running broker, which becomes the whole
 * ISR (records only it had may be lost, hence "unclean"). Returns false when
 * no replica can lead (ELIGIBLE_LEADERS_NOT_AVAILABLE).
 */
export function electUnclean(cluster: ClusterState, partition: PartitionState): boolean {
  const clean = partition.replicas.find((id) => isValidLeader(cluster, partition, id))
  if (clean !== undefined) {
    setLeader(partition, clean)
    return true
  }
  const live = partition.replicas.find((id) => cluster.broker(id)?.running)
  if (live === undefined) return false
  partition.isr = [live]
  setLeader(partition, live)
  return true
}
