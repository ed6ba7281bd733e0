/**
 * Partition reassignments as Kafka's controller runs them: the replica list
 * becomes the target followed by the replicas being removed, with the adding
 * and removing replicas recorded; once every target replica is in sync the
 * removed ones leave and the reassignment is over. All replicas share one log
 * here, so a replica on a running broker is in sync at once and a
 * reassignment completes in the same request, unless a target broker is
 * stopped: then it stays ongoing (listed, cancellable) until that broker starts.
 */
import type { ClusterState, PartitionState } from './cluster-state.js'
import { electOnline } from './leader-election.js'

export function isReassigning(partition: PartitionState): boolean {
  return (partition.addingReplicas?.length ?? 0) > 0 || (partition.removingReplicas?.length ?? 0) > 0
}

/** The members of `a` not in `b`, sorted (Kafka keeps adding and removing replicas sorted). */
function sortedDifference(a: readonly number[], b: readonly number[]): number[] {
  return a.filter((id) => !b.includes(id)).sort((x, y) => x - y)
}

/** Starts (or replaces) a reassignment to `target`, completing it at once when it can. */
export function reassign(cluster: ClusterState, partition: PartitionState, target: readonly number[]): void {
  const current = partition.replicas
  const removing = sortedDifference(current, target)
  const adding = sortedDifference(target, current)
  const before = [...current]
  partition.replicas = [...target, ...removing]
  partition.addingReplicas = adding
  partition.removingReplicas = removing
  // The shared log means a running broker's new replica is caught up as soon as it exists.
  for (const id of adding) {
    if (cluster.broker(id)?.running && !partition.isr.includes(id)) partition.isr.push(id)
  }
  if (!completeReassignment(cluster, partition)) electOnline(cluster, partition, lostReplicas(before, partition))
}

/**
 * Ends a reassignment whose target replicas are all in sync: the removed
 * replicas leave the replica list and the ISR. Returns whether it did.
 */
export function completeReassignment(cluster: ClusterState, partition: PartitionState): boolean {
  if (!isReassigning(partition)) return false
  const removing = partition.removingReplicas ?? []
  const isr = partition.isr.filter((id) => !removing.includes(id))
  const replicas = partition.replicas.filter((id) => !removing.includes(id))
  if (isr.length === 0 || replicas.length === 0 || !replicas.every((id) => isr.includes(id))) return false
  endReassignment(cluster, partition, replicas, isr)
  return true
}

/**
 * Cancels an ongoing reassignment: the adding replicas leave, the removing
 * ones stay. Returns an error message when the revert would leave no in-sync
 * replica and unclean election is not enabled for the topic.
 */
export function cancelReassignment(
  cluster: ClusterState,
  partition: PartitionState,
  uncleanAllowed: boolean,
  name: string,
): string | undefined {
  const adding = partition.addingReplicas ?? []
  const replicas = partition.replicas.filter((id) => !adding.includes(id))
  let isr = partition.isr.filter((id) => !adding.includes(id))
  if (isr.length === 0) {
    if (!uncleanAllowed) {
      return `Unable to revert partition assignment for ${name} because it would require an unclean leader election.`
    }
    isr = replicas.slice(0, 1)
  }
  endReassignment(cluster, partition, replicas, isr)
  return undefined
}

/** Settles the replicas and ISR a reassignment ends with, and the leader they allow. */
function endReassignment(cluster: ClusterState, partition: PartitionState, replicas: number[], isr: number[]): void {
  const before = partition.replicas
  partition.replicas = replicas
  partition.isr = isr
  partition.addingReplicas = []
  partition.removingReplicas = []
  electOnline(cluster, partition, lostReplicas(before, partition))
}

/** Kafka bumps the leader epoch when replicas leave, so that they stop acting as followers. */
function lostReplicas(before: readonly number[], partition: PartitionState): boolean {
  return before.some((id) => !partition.replicas.includes(id))
}
