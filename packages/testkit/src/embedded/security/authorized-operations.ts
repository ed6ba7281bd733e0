import type { RequestContext } from '../handler.js'
import { AclOperation, ResourceType } from './acl-binding.js'
import { isAuthorized, isAuthorizedOnCluster } from './authorize.js'

/**
 * The "authorized operations" bitfields of Metadata, DescribeCluster,
 * DescribeTopicPartitions, DescribeGroups and ConsumerGroupDescribe, as
 * Kafka's AuthHelper.authorizedOperations computes them: bit `code` set for
 * each operation the resource type supports (AclEntry.supportedOperations)
 * that the principal may perform on the resource. With ACLs off every
 * supported operation is set.
 */
type Context = Pick<RequestContext, 'cluster' | 'principal'>

const { READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS } = AclOperation
const TOPIC_OPERATIONS = [READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS]
const GROUP_OPERATIONS = [READ, DELETE, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS]
const CLUSTER_OPERATIONS = [
  CREATE,
  ALTER,
  DESCRIBE,
  CLUSTER_ACTION,
  DESCRIBE_CONFIGS,
  ALTER_CONFIGS,
  AclOperation.IDEMPOTENT_WRITE,
]

function bits(operations: readonly number[], allowed: (operation: number) => boolean): number {
  return operations.filter(allowed).reduce((field, operation) => field | (1 << operation), 0)
}

export function topicAuthorizedOperations(context: Context, topic: string): number {
  return bits(TOPIC_OPERATIONS, (operation) => isAuthorized(context, operation, ResourceType.TOPIC, topic))
}

export function groupAuthorizedOperations(context: Context, groupId: string): number {
  return bits(GROUP_OPERATIONS, (operation) => isAuthorized(context, operation, ResourceType.GROUP, groupId))
}

/** Kafka answers 0 to a principal that may not DESCRIBE the cluster, whatever else it may do. */
export function clusterAuthorizedOperations(context: Context): number {
  if (!isAuthorizedOnCluster(context, DESCRIBE)) return 0
  return bits(CLUSTER_OPERATIONS, (operation) => isAuthorizedOnCluster(context, operation))
}
