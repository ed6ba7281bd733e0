/**
 * Metadata (key 3), versions 0-13. Lists the running brokers, the controller,
 * and the requested topics (by name, or by id from v12; null asks for all) with
 * each partition's leader, leader epoch, replicas, ISR and offline replicas.
 * Missing topics are created when the request allows it and the cluster has
 * auto topic creation on, as with auto.create.topics.enable. Authorized
 * operations (v8+), when asked for, are those the ACLs allow the principal
 * (all of them with ACLs off), as a bitfield of ACL operation codes.
 */
import {
  Apis,
  AUTHORIZED_OPERATIONS_OMITTED,
  type MetadataResponse,
  type MetadataResponseMetadataResponseTopic,
  ZERO_UUID,
} from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { clusterAuthorizedOperations, topicAuthorizedOperations } from '../security/authorized-operations.js'
import type { ClusterState, TopicState } from '../state/cluster-state.js'
import { invalidTopicName } from '../state/topic-names.js'

const UNKNOWN_TOPIC_OR_PARTITION = 3
const LEADER_NOT_AVAILABLE = 5
const INVALID_TOPIC_EXCEPTION = 17
const UNKNOWN_TOPIC_ID = 100
const REPLICA_NOT_AVAILABLE = 9

export function describeTopic(cluster: ClusterState, topic: TopicState): MetadataResponseMetadataResponseTopic {
  return {
    errorCode: 0,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: topic.isInternal,
    partitions: topic.partitions.map((p) => {
      const offline = p.replicas.filter((id) => !cluster.broker(id)?.running)
      return {
        errorCode: p.leader < 0 ? LEADER_NOT_AVAILABLE : offline.length > 0 ? REPLICA_NOT_AVAILABLE : 0,
        partitionIndex: p.partition,
        leaderId: p.leader,
        leaderEpoch: p.leaderEpoch,
        replicaNodes: p.replicas,
        isrNodes: p.isr,
        offlineReplicas: offline,
      }
    }),
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  }
}

function missingTopic(name: string | null, topicId: string, errorCode: number): MetadataResponseMetadataResponseTopic {
  return {
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  }
}

export const metadataHandler = defineHandler({
  api: 'Metadata',
  minVersion: Apis.Metadata.minVersion,
  maxVersion: Apis.Metadata.maxVersion,
  handle(request, context): MetadataResponse {
    const { cluster, version, listener } = context
    // v0 knows no null: an empty list means every topic there.
    const all = request.topics === null || (version === 0 && request.topics.length === 0)
    const described: MetadataResponseMetadataResponseTopic[] = []
    if (all) {
      for (const topic of cluster.topics.values()) described.push(describeTopic(cluster, topic))
    } else {
      for (const wanted of request.topics ?? []) {
        if (wanted.name === null || wanted.name === '') {
          const byId = cluster.topicsById.get(wanted.topicId)
          described.push(byId ? describeTopic(cluster, byId) : missingTopic(null, wanted.topicId, UNKNOWN_TOPIC_ID))
          continue
        }
        const existing = cluster.topics.get(wanted.name)
        if (existing) {
          described.push(describeTopic(cluster, existing))
        } else if (invalidTopicName(wanted.name)) {
          described.push(missingTopic(wanted.name, ZERO_UUID, INVALID_TOPIC_EXCEPTION))
        } else if (request.allowAutoTopicCreation && cluster.defaultConfig.autoCreateTopics) {
          const created = cluster.createTopic(
            wanted.name,
            cluster.defaultConfig.defaultPartitions,
            cluster.defaultConfig.defaultReplicationFactor,
          )
          described.push(describeTopic(cluster, created))
        } else {
          described.push(missingTopic(wanted.name, ZERO_UUID, UNKNOWN_TOPIC_OR_PARTITION))
        }
      }
    }
    const topics = request.includeTopicAuthorizedOperations
      ? described.map((t) =>
          t.errorCode === 0 && t.name !== null
            ? { ...t, topicAuthorizedOperations: topicAuthorizedOperations(context, t.name) }
            : t,
        )
      : described
    return {
      throttleTimeMs: 0,
      brokers: cluster
        .runningBrokers()
        .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.ports[listener] ?? -1, rack: b.rack })),
      clusterId: cluster.clusterId,
      controllerId: cluster.controllerId,
      topics,
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? clusterAuthorizedOperations(context)
        : AUTHORIZED_OPERATIONS_OMITTED,
      errorCode: 0,
    }
  },
})
