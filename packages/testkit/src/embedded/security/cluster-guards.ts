import { AclOperation } from './acl-binding.js'
import { AuthError, isAuthorizedOnCluster } from './authorize.js'
import type { Guard } from './guard.js'

/**
 * The cluster operations need a CLUSTER permission, as in Kafka's KafkaApis:
 * ALTER to elect leaders or move replicas, DESCRIBE to list moves or log dirs.
 * A principal without it gets CLUSTER_AUTHORIZATION_FAILED for the whole request.
 */
const DENIED = AuthError.CLUSTER_AUTHORIZATION_FAILED

export const electLeadersGuard: Guard<'ElectLeaders'> = async (request, context, next) => {
  if (isAuthorizedOnCluster(context, AclOperation.ALTER)) return next(request)
  return {
    throttleTimeMs: 0,
    errorCode: DENIED,
    replicaElectionResults: (request.topicPartitions ?? []).map((t) => ({
      topic: t.topic,
      partitionResult: t.partitions.map((partitionId) => ({ partitionId, errorCode: DENIED, errorMessage: null })),
    })),
  }
}

export const alterPartitionReassignmentsGuard: Guard<'AlterPartitionReassignments'> = async (
  request,
  context,
  next,
) => {
  if (isAuthorizedOnCluster(context, AclOperation.ALTER)) return next(request)
  return { throttleTimeMs: 0, allowReplicationFactorChange: true, errorCode: DENIED, errorMessage: null, responses: [] }
}

export const listPartitionReassignmentsGuard: Guard<'ListPartitionReassignments'> = async (request, context, next) => {
  if (isAuthorizedOnCluster(context, AclOperation.DESCRIBE)) return next(request)
  return { throttleTimeMs: 0, errorCode: DENIED, errorMessage: null, topics: [] }
}

export const describeLogDirsGuard: Guard<'DescribeLogDirs'> = async (request, context, next) => {
  if (isAuthorizedOnCluster(context, AclOperation.DESCRIBE)) return next(request)
  return { throttleTimeMs: 0, errorCode: DENIED, results: [] }
}
