/**
 * DescribeTopicPartitions (key 75), version 0. The requested topics (all of
 * them when the list is empty, then leaving out missing ones) sorted by name,
 * with each partition's leader, leader epoch, replicas, ISR, offline replicas
 * and the eligible leader replicas (always empty: every ISR member here is
 * caught up). At most responsePartitionLimit partitions (capped at 2000, as
 * max.request.partition.size.limit) come back; nextCursor then names the
 * topic and partition to ask from. A cursor must name one of the requested
 * topics and a non-negative partition, else every topic fails INVALID_REQUEST.
 * Topics the principal may not DESCRIBE are left out of an all-topics answer
 * and, when named, answered TOPIC_AUTHORIZATION_FAILED after the others
 * without saying whether they exist (Kafka's DescribeTopicPartitionsRequestHandler);
 * the others carry the operations the ACLs allow on them.
 */
import {
  Apis,
  type DescribeTopicPartitionsResponse,
  type DescribeTopicPartitionsResponseDescribeTopicPartitionsResponseTopic as TopicResult,
  ZERO_UUID,
} from '@kafkit/protocol'
import { defineHandler, type RequestContext } from '../handler.js'
import { AclOperation, ResourceType } from '../security/acl-binding.js'
import { isAuthorized } from '../security/authorize.js'
import { topicAuthorizedOperations } from '../security/authorized-operations.js'
import type { ClusterState, TopicState } from '../state/cluster-state.js'
import { AdminError, AUTHORIZED_OPERATIONS_OMITTED, INTERNAL_TOPICS, topicNameError } from './admin-errors.js'

const MAX_PARTITION_LIMIT = 2000

const TOPIC_AUTHORIZATION_FAILED = 29

/** A topic answered with an error and no partitions (Kafka leaves its operations unset). */
function failed(name: string, errorCode: number): TopicResult {
  return {
    errorCode,
    name,
    topicId: ZERO_UUID,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  }
}

function missing(context: RequestContext, name: string, errorCode: number): TopicResult {
  return {
    ...failed(name, errorCode),
    isInternal: INTERNAL_TOPICS.has(name),
    topicAuthorizedOperations: topicAuthorizedOperations(context, name),
  }
}

function partitionsOf(
  context: RequestContext,
  cluster: ClusterState,
  topic: TopicState,
  from: number,
  count: number,
): TopicResult {
  return {
    errorCode: AdminError.NONE,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: topic.isInternal,
    partitions: topic.partitions.slice(from, from + count).map((p) => ({
      errorCode: AdminError.NONE,
      partitionIndex: p.partition,
      leaderId: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      eligibleLeaderReplicas: [],
      lastKnownElr: [],
      offlineReplicas: p.replicas.filter((id) => !cluster.broker(id)?.running),
    })),
    topicAuthorizedOperations: topicAuthorizedOperations(context, topic.name),
  }
}

export const describeTopicPartitionsHandler = defineHandler({
  api: 'DescribeTopicPartitions',
  minVersion: Apis.DescribeTopicPartitions.minVersion,
  maxVersion: Apis.DescribeTopicPartitions.maxVersion,
  handle(request, context): DescribeTopicPartitionsResponse {
    const { cluster } = context
    const { cursor } = request
    const all = request.topics.length === 0
    const requested = all ? [...cluster.topics.keys()] : request.topics.map((topic) => topic.name)
    const from = cursor?.topicName ?? ''
    const wanted = [...new Set(requested.filter((name) => name >= from))].sort()
    const names = wanted.filter((name) => isAuthorized(context, AclOperation.DESCRIBE, ResourceType.TOPIC, name))
    // Named topics it may not describe come last, whether or not they exist.
    const denied = all ? [] : wanted.filter((name) => !names.includes(name))
    const refused = denied.map((name) => failed(name, TOPIC_AUTHORIZATION_FAILED))
    const badCursor = cursor && ((!all && !wanted.includes(cursor.topicName)) || cursor.partitionIndex < 0)
    if (badCursor) {
      const topics = request.topics.map(({ name }) => failed(name, AdminError.INVALID_REQUEST))
      return { throttleTimeMs: 0, topics, nextCursor: null }
    }
    let remaining = Math.max(Math.min(MAX_PARTITION_LIMIT, request.responsePartitionLimit), 1)
    const topics: TopicResult[] = []
    for (const name of names) {
      // Out of room: the next answer starts at this topic, whether or not it exists.
      if (remaining === 0) {
        return {
          throttleTimeMs: 0,
          topics: [...topics, ...refused],
          nextCursor: { topicName: name, partitionIndex: 0 },
        }
      }
      const topic = cluster.topics.get(name)
      if (!topic) {
        if (!all) {
          const code = topicNameError(name) ? AdminError.INVALID_TOPIC_EXCEPTION : AdminError.UNKNOWN_TOPIC_OR_PARTITION
          topics.push(missing(context, name, code))
        }
        continue
      }
      const start = name === cursor?.topicName ? cursor.partitionIndex : 0
      const result = partitionsOf(context, cluster, topic, start, remaining)
      topics.push(result)
      const next = start + result.partitions.length
      if (next < topic.partitions.length) {
        return {
          throttleTimeMs: 0,
          topics: [...topics, ...refused],
          nextCursor: { topicName: name, partitionIndex: next },
        }
      }
      remaining -= result.partitions.length
    }
    return { throttleTimeMs: 0, topics: [...topics, ...refused], nextCursor: null }
  },
})
