/**
 * CreateTopics (key 19), versions 2-7. Each topic is checked as Kafka's
 * controller checks it, in the same order: its name (legal, not taken, not
 * colliding with an existing name once '.' and '_' are confused), its configs
 * (INVALID_CONFIG), then either a partition count and replication factor (-1
 * for the cluster default) or a manual replica assignment. A name given twice
 * fails as INVALID_REQUEST; more than 10 000 new partitions in one request fail
 * as POLICY_VIOLATION. validateOnly checks everything and creates nothing; a
 * timeoutMs of 0 or less times every topic out, as on KRaft.
 * From v5 the answer carries the topic id, partition count, replication factor
 * and every config of the (would-be) topic.
 */
import {
  Apis,
  type CreateTopicsRequestCreatableTopic,
  type CreateTopicsResponseCreatableTopicConfigs,
  type CreateTopicsResponseCreatableTopicResult,
  randomUuid,
  ZERO_UUID,
} from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import type { ClusterState, TopicState } from '../state/cluster-state.js'
import { describeTopicConfigs, invalidTopicConfig } from '../state/configs/topic-config.js'
import { AdminError, expiredOnArrival, MAX_PARTITIONS_PER_REQUEST, topicNameError } from './admin-errors.js'
import {
  assignReplicas,
  avoidStoppedBrokers,
  invalidAssignment,
  unreachableReplicationFactor,
} from './replica-assignment.js'

interface Plan {
  name: string
  partitions: number
  replicationFactor: number
  /** Replica lists by partition, when the request assigns them. */
  assignments: number[][] | undefined
  configs: Map<string, string>
}

function failed(
  name: string,
  errorCode: number,
  errorMessage: string | null,
): CreateTopicsResponseCreatableTopicResult {
  return {
    name,
    topicId: ZERO_UUID,
    errorCode,
    errorMessage,
    topicConfigErrorCode: 0,
    numPartitions: -1,
    replicationFactor: -1,
    configs: [],
  }
}

function plan(cluster: ClusterState, topic: CreateTopicsRequestCreatableTopic): Plan | [number, string] {
  const { name } = topic
  const badName = topicNameError(name)
  if (badName) return [AdminError.INVALID_TOPIC_EXCEPTION, badName]
  if (cluster.topics.has(name)) return [AdminError.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`]
  // '.' and '_' meet in metric names, so Kafka refuses names that differ only there.
  const unified = name.replaceAll('.', '_')
  const collision = [...cluster.topics.keys()].find((existing) => existing.replaceAll('.', '_') === unified)
  if (collision)
    return [AdminError.INVALID_TOPIC_EXCEPTION, `Topic '${name}' collides with existing topic: ${collision}`]
  const configs = new Map<string, string>()
  for (const { name: key, value } of topic.configs) {
    if (value === null) return [AdminError.INVALID_CONFIG, `Null value not supported for topic configs: ${key}`]
    const why = invalidTopicConfig(key, value)
    if (why) return [AdminError.INVALID_CONFIG, why]
    configs.set(key, value)
  }
  if (topic.assignments.length > 0) {
    if (topic.numPartitions !== -1) {
      return [
        AdminError.INVALID_REQUEST,
        'A manual partition assignment was specified, but numPartitions was not set to -1.',
      ]
    }
    if (topic.replicationFactor !== -1) {
      return [
        AdminError.INVALID_REQUEST,
        'A manual partition assignment was specified, but replication factor was not set to -1.',
      ]
    }
    const sorted = [...topic.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex)
    if (sorted.some((assignment, i) => assignment.partitionIndex !== i)) {
      return [AdminError.INVALID_REPLICA_ASSIGNMENT, 'partitions should be a consecutive 0-based integer sequence']
    }
    const assignments = sorted.map((assignment) => assignment.brokerIds)
    const why = invalidAssignment(cluster, assignments)
    if (why) return [AdminError.INVALID_REPLICA_ASSIGNMENT, why]
    return { name, partitions: assignments.length, replicationFactor: assignments[0]!.length, assignments, configs }
  }
  const partitions = topic.numPartitions === -1 ? cluster.defaultConfig.defaultPartitions : topic.numPartitions
  if (partitions < 1)
    return [AdminError.INVALID_PARTITIONS, 'Number of partitions was set to an invalid non-positive value.']
  const replicationFactor =
    topic.replicationFactor === -1 ? cluster.defaultConfig.defaultReplicationFactor : topic.replicationFactor
  if (replicationFactor < 1) {
    return [
      AdminError.INVALID_REPLICATION_FACTOR,
      'Replication factor must be larger than 0, or -1 to use the default value.',
    ]
  }
  const brokers = cluster.runningBrokers().length
  if (replicationFactor > brokers) {
    return [AdminError.INVALID_REPLICATION_FACTOR, unreachableReplicationFactor(replicationFactor, brokers)]
  }
  return { name, partitions, replicationFactor, assignments: undefined, configs }
}

function create(cluster: ClusterState, planned: Plan, validateOnly: boolean): TopicState {
  const { name, partitions, replicationFactor, assignments, configs } = planned
  if (validateOnly) return { name, topicId: randomUuid(), partitions: [], configs, isInternal: false }
  const topic = cluster.createTopic(name, partitions, replicationFactor, configs)
  if (assignments) {
    for (const [i, brokerIds] of assignments.entries()) assignReplicas(cluster, topic.partitions[i]!, brokerIds)
  } else avoidStoppedBrokers(cluster, topic.partitions)
  return topic
}

function created(cluster: ClusterState, planned: Plan, topic: TopicState): CreateTopicsResponseCreatableTopicResult {
  const configs: CreateTopicsResponseCreatableTopicConfigs[] = describeTopicConfigs(
    cluster,
    topic,
    undefined,
    null,
    false,
  ).map(({ name, value, readOnly, configSource, isSensitive }) => ({
    name,
    // Kafka echoes a config the request set as it was written ("TRUE", " 5 ").
    value: planned.configs.get(name) ?? value,
    readOnly,
    configSource,
    isSensitive,
  }))
  return {
    name: planned.name,
    topicId: topic.topicId,
    errorCode: 0,
    errorMessage: null,
    topicConfigErrorCode: 0,
    numPartitions: planned.partitions,
    replicationFactor: planned.replicationFactor,
    configs,
  }
}

export const createTopicsHandler = defineHandler({
  api: 'CreateTopics',
  minVersion: Apis.CreateTopics.minVersion,
  maxVersion: Apis.CreateTopics.maxVersion,
  handle(request, { cluster }) {
    const counts = new Map<string, number>()
    for (const { name } of request.topics) counts.set(name, (counts.get(name) ?? 0) + 1)
    if (expiredOnArrival(request.timeoutMs)) {
      return {
        throttleTimeMs: 0,
        topics: [...counts.keys()].map((name) => failed(name, AdminError.REQUEST_TIMED_OUT, null)),
      }
    }
    const outcomes = request.topics
      .filter(({ name }) => counts.get(name) === 1)
      .map((topic) => ({ topic, outcome: plan(cluster, topic) }))
    const newPartitions = outcomes.reduce(
      (sum, { outcome }) => sum + (Array.isArray(outcome) ? 0 : outcome.partitions),
      0,
    )
    const results = outcomes.map(({ topic, outcome }) => {
      if (Array.isArray(outcome)) return failed(topic.name, outcome[0], outcome[1])
      if (newPartitions > MAX_PARTITIONS_PER_REQUEST) {
        return failed(topic.name, AdminError.POLICY_VIOLATION, 'Excessively large number of partitions per request.')
      }
      return created(cluster, outcome, create(cluster, outcome, request.validateOnly))
    })
    // Kafka answers each name given more than once with a single error, after the rest.
    for (const [name, count] of counts) {
      if (count > 1) results.push(failed(name, AdminError.INVALID_REQUEST, 'Duplicate topic name.'))
    }
    return { throttleTimeMs: 0, topics: results }
  },
})
