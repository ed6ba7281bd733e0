/**
 * DescribeTopicPartitions (key 75), version 0. The requested topics (all of
 * them when the list is empty, then leaving out missing ones) sorted by name,
 * with each partition's leader, leader epoch, replicas, ISR, offline replicas
 * and the eligible leader replicas (always empty: every ISR member here is
 * caught up). At most responsePartitionLimit partitions (capped at 2000, as
 * max.request.partition.size.limit) come back; nextCursor then names the
 * topic and partition to ask from. A cursor must name one of the requested
 * topics and a non-negative partition, else every topic fails INVALID_REQUEST.
 */
import {
  Apis,
  type DescribeTopicPartitionsResponse,
  type DescribeTopicPartitionsResponseDescribeTopicPartitionsResponseTopic as TopicResult,
  ZERO_UUID,
} from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import type { ClusterState, TopicState } from '../state/cluster-state.js'
import { AdminError, ALL_TOPIC_OPERATIONS, INTERNAL_TOPICS, topicNameError } from './admin-errors.js'

const MAX_PARTITION_LIMIT = 2000

function missing(name: string, errorCode: number): TopicResult {
  return {
    errorCode,
    name,
    topicId: ZERO_UUID,
    isInternal: INTERNAL_TOPICS.has(name),
    partitions: [],
    topicAuthorizedOperations: ALL_TOPIC_OPERATIONS,
  }
}

function partitionsOf(cluster: ClusterState, topic: TopicState, from: number, count: number): TopicResult {
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
    topicAuthorizedOperations: ALL_TOPIC_OPERATIONS,
  }
}

export const describeTopicPartitionsHandler = defineHandler({
  api: 'DescribeTopicPartitions',
  minVersion: Apis.DescribeTopicPartitions.minVersion,
  maxVersion: Apis.DescribeTopicPartitions.maxVersion,
  handle(request, { cluster }): DescribeTopicPartitionsResponse {
    const { cursor } = request
    const all = request.topics.length === 0
    const requested = all ? [...cluster.topics.keys()] : request.topics.map((topic) => topic.name)
    const from = cursor?.topicName ?? ''
    const names = [...new Set(requested.filter((name) => name >= from))].sort()
    const badCursor = cursor && ((!all && !names.includes(cursor.topicName)) || cursor.partitionIndex < 0)
    if (badCursor) {
      const topics = request.topics.map(({ name }) => missing(name, AdminError.INVALID_REQUEST))
      return { throttleTimeMs: 0, topics, nextCursor: null }
    }
    let remaining = Math.max(Math.min(MAX_PARTITION_LIMIT, request.responsePartitionLimit), 1)
    const topics: TopicResult[] = []
    for (const name of names) {
      // Out of room: the next answer starts at this topic, whether or not it exists.
      if (remaining === 0) return { throttleTimeMs: 0, topics, nextCursor: { topicName: name, partitionIndex: 0 } }
      const topic = cluster.topics.get(name)
      if (!topic) {
        if (!all) {
          const code = topicNameError(name) ? AdminError.INVALID_TOPIC_EXCEPTION : AdminError.UNKNOWN_TOPIC_OR_PARTITION
          topics.push(missing(name, code))
        }
        continue
      }
      const start = name === cursor?.topicName ? cursor.partitionIndex : 0
      const result = partitionsOf(cluster, topic, start, remaining)
      topics.push(result)
      const next = start + result.partitions.length
      if (next < topic.partitions.length) {
        return { throttleTimeMs: 0, topics, nextCursor: { topicName: name, partitionIndex: next } }
      }
      remaining -= result.partitions.length
    }
    return { throttleTimeMs: 0, topics, nextCursor: null }
  },
})
