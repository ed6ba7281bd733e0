/**
 * AlterPartitionReassignments (key 45), versions 0-1, as Kafka's KRaft
 * controller answers. Each partition's target replicas are checked as a
 * manual assignment (INVALID_REPLICA_ASSIGNMENT: empty, a broker twice, an
 * unregistered broker; a stopped broker is allowed) and, when v1's
 * allowReplicationFactorChange is false, must keep the replication factor
 * (INVALID_REPLICATION_FACTOR). The reassignment then completes at once,
 * since replicas share one log, unless a target broker is stopped: it stays
 * ongoing until that broker starts (see state/reassignments.ts). Null replicas
 * cancel an ongoing reassignment, NO_REASSIGNMENT_IN_PROGRESS when there is
 * none. Unknown topics and partitions answer UNKNOWN_TOPIC_OR_PARTITION; a
 * timeoutMs of 0 or less answers REQUEST_TIMED_OUT everywhere and changes nothing.
 */
import {
  type AlterPartitionReassignmentsRequestReassignablePartition,
  type AlterPartitionReassignmentsResponse,
  Apis,
} from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import type { ClusterState } from '../state/cluster-state.js'
import { topicConfigValue } from '../state/configs/topic-config.js'
import { cancelReassignment, isReassigning, reassign } from '../state/reassignments.js'
import { AdminError, expiredOnArrival } from './admin-errors.js'

const NO_REASSIGNMENT_IN_PROGRESS = 85

interface Outcome {
  errorCode: number
  errorMessage: string | null
}

const ok: Outcome = { errorCode: AdminError.NONE, errorMessage: null }

/** Kafka's manual assignment check: empty first, then each broker id in ascending order. */
function invalidTarget(cluster: ClusterState, replicas: readonly number[]): string | undefined {
  if (replicas.length === 0) return 'The manual partition assignment includes an empty replica list.'
  const sorted = [...replicas].sort((a, b) => a - b)
  for (let i = 0; i < sorted.length; i++) {
    const id = sorted[i]!
    if (!cluster.broker(id)) {
      return `The manual partition assignment includes broker ${id}, but no such broker is registered.`
    }
    if (i > 0 && sorted[i - 1] === id)
      return `The manual partition assignment includes the broker ${id} more than once.`
  }
  return undefined
}

function alter(
  cluster: ClusterState,
  name: string,
  target: AlterPartitionReassignmentsRequestReassignablePartition,
  allowReplicationFactorChange: boolean,
): Outcome {
  const topic = cluster.topics.get(name)
  if (!topic)
    return { errorCode: AdminError.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Unable to find a topic named ${name}.` }
  const partition = topic.partitions[target.partitionIndex]
  if (!partition) {
    return {
      errorCode: AdminError.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: `Unable to find partition ${name}:${target.partitionIndex}.`,
    }
  }
  if (target.replicas === null) {
    if (!isReassigning(partition)) return { errorCode: NO_REASSIGNMENT_IN_PROGRESS, errorMessage: null }
    const unclean = topicConfigValue(cluster, topic, 'unclean.leader.election.enable') === 'true'
    const refused = cancelReassignment(cluster, partition, unclean, `${name}:${target.partitionIndex}`)
    return refused === undefined ? ok : { errorCode: AdminError.INVALID_REPLICA_ASSIGNMENT, errorMessage: refused }
  }
  const invalid = invalidTarget(cluster, target.replicas)
  if (invalid) return { errorCode: AdminError.INVALID_REPLICA_ASSIGNMENT, errorMessage: invalid }
  if (!allowReplicationFactorChange) {
    // During a reassignment the factor is that of its target: the replicas, the joining ones, not the leaving ones.
    const removing = partition.removingReplicas ?? []
    const current = new Set(
      [...partition.replicas, ...(partition.addingReplicas ?? [])].filter((id) => !removing.includes(id)),
    )
    if (current.size !== target.replicas.length) {
      return {
        errorCode: AdminError.INVALID_REPLICATION_FACTOR,
        errorMessage: `The replication factor is changed from ${current.size} to ${target.replicas.length}`,
      }
    }
  }
  reassign(cluster, partition, target.replicas)
  return ok
}

export const alterPartitionReassignmentsHandler = defineHandler({
  api: 'AlterPartitionReassignments',
  minVersion: Apis.AlterPartitionReassignments.minVersion,
  maxVersion: Apis.AlterPartitionReassignments.maxVersion,
  handle(request, { cluster, version }): AlterPartitionReassignmentsResponse {
    const allowReplicationFactorChange = version >= 1 ? request.allowReplicationFactorChange : true
    const expired = expiredOnArrival(request.timeoutMs)
    const outcome: Outcome = { errorCode: AdminError.REQUEST_TIMED_OUT, errorMessage: null }
    return {
      throttleTimeMs: 0,
      allowReplicationFactorChange,
      errorCode: expired ? AdminError.REQUEST_TIMED_OUT : AdminError.NONE,
      errorMessage: null,
      responses: request.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((partition) => ({
          partitionIndex: partition.partitionIndex,
          ...(expired ? outcome : alter(cluster, topic.name, partition, allowReplicationFactorChange)),
        })),
      })),
    }
  },
})
