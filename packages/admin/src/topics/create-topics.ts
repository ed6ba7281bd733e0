import {
  type CreateTopicsRequestCreatableTopic,
  type CreateTopicsResponse,
  InvalidMessageError,
} from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import {
  optionalBoolean,
  optionalInteger,
  requireInteger,
  requireName,
  requireNonEmptyArray,
  requireOptions,
} from '../arguments.js'
import { type ConfigSource, configSourceName } from '../configs/config-entry.js'
import { settleEntries } from '../entry-outcomes.js'
import { controllerOutcome, refreshController } from './controller-outcome.js'
import { waitForLeaders as waitForTopicLeaders } from './wait-for-leaders.js'

/** One topic to create (kafkajs's ITopicConfig). */
export interface NewTopic {
  topic: string
  /** Partitions; default: the broker's num.partitions. Leave out with `replicaAssignment`. */
  numPartitions?: number
  /** Replicas of each partition; default: the broker's default.replication.factor. Leave out with `replicaAssignment`. */
  replicationFactor?: number
  /** The replicas of each partition (the first one is the preferred leader), partitions numbered from 0. */
  replicaAssignment?: readonly { partition: number; replicas: readonly number[] }[]
  /** Topic configs, e.g. `{ name: 'cleanup.policy', value: 'compact' }`. */
  configEntries?: readonly { name: string; value: string }[]
}

export interface CreateTopicsRequest {
  topics: readonly NewTopic[]
  /** Check that the topics could be created, without creating them. Default false. */
  validateOnly?: boolean
  /** How long the controller may take to create them, in milliseconds. Default 30 000 (kafkajs's timeout). */
  timeoutMs?: number
  /**
   * Resolve only once the brokers show a leader for every partition of the
   * created topics, so the next call finds them. Default true (as kafkajs).
   */
  waitForLeaders?: boolean
}

/** A config of a created topic, as the broker reports it (CreateTopics v5+). */
export interface CreatedTopicConfig {
  name: string
  value: string | null
  readOnly: boolean
  configSource: ConfigSource
  isSensitive: boolean
}

/** What the broker created (or, with validateOnly, would create). */
export interface CreatedTopic {
  topic: string
  /** The topic id (CreateTopics v7+; the zero uuid from older brokers or with validateOnly on some). */
  topicId: string
  /** -1 when the broker does not say (CreateTopics before v5). */
  numPartitions: number
  replicationFactor: number
  /** Every config of the topic, defaults included (empty before CreateTopics v5). */
  configs: CreatedTopicConfig[]
}

const OPTIONS = ['topics', 'validateOnly', 'timeoutMs', 'waitForLeaders']
const TOPIC_OPTIONS = ['topic', 'numPartitions', 'replicationFactor', 'replicaAssignment', 'configEntries']

function creatable(topic: NewTopic, index: number): CreateTopicsRequestCreatableTopic {
  const what = `createTopics topics[${index}]`
  requireOptions(topic, what, TOPIC_OPTIONS)
  const name = requireName(topic.topic, `${what}.topic`)
  const numPartitions = optionalInteger(topic.numPartitions, `${what}.numPartitions`, -1)
  const replicationFactor = optionalInteger(topic.replicationFactor, `${what}.replicationFactor`, -1)
  const configs = (topic.configEntries ?? []).map((entry, i) => ({
    name: requireName(entry?.name, `${what}.configEntries[${i}].name`),
    value: requireName(entry?.value, `${what}.configEntries[${i}].value`),
  }))
  if (topic.replicaAssignment === undefined) {
    return {
      name,
      numPartitions: numPartitions ?? -1,
      replicationFactor: replicationFactor ?? -1,
      assignments: [],
      configs,
    }
  }
  if ((numPartitions ?? -1) !== -1 || (replicationFactor ?? -1) !== -1) {
    throw new InvalidMessageError(
      `${what} gives replicaAssignment and numPartitions/replicationFactor: leave those out, the assignment sets both`,
    )
  }
  const assignments = requireNonEmptyArray(
    topic.replicaAssignment,
    `${what}.replicaAssignment`,
    '[{ partition: 0, replicas: [1, 2] }]',
  ).map((assignment, i) => ({
    partitionIndex: requireInteger(assignment?.partition, `${what}.replicaAssignment[${i}].partition`, 0),
    brokerIds: [
      ...requireNonEmptyArray(assignment?.replicas, `${what}.replicaAssignment[${i}].replicas`, '[1, 2]'),
    ].map((id, j) => requireInteger(id, `${what}.replicaAssignment[${i}].replicas[${j}]`, 0)),
  }))
  return { name, numPartitions: -1, replicationFactor: -1, assignments, configs }
}

/**
 * CreateTopics on the controller. Resolves with each topic's id, partition
 * count, replication factor and configs; a topic the broker refused (already
 * exists, replication factor above the broker count, unknown config...) is a
 * failure of AdminPartialFailureError with the broker's typed error.
 */
export async function createTopics(router: AdminRouter, request: CreateTopicsRequest): Promise<CreatedTopic[]> {
  requireOptions(request, 'createTopics()', OPTIONS)
  const topics = requireNonEmptyArray(request.topics, 'createTopics topics', "[{ topic: 'orders', numPartitions: 3 }]")
  const validateOnly = optionalBoolean(request.validateOnly, 'createTopics validateOnly') ?? false
  const timeoutMs = optionalInteger(request.timeoutMs, 'createTopics timeoutMs', 1) ?? 30_000
  const waitForLeaders = optionalBoolean(request.waitForLeaders, 'createTopics waitForLeaders') ?? true
  const byName = new Map<string, CreateTopicsRequestCreatableTopic>()
  topics.forEach((topic, i) => {
    const body = creatable(topic, i)
    if (byName.has(body.name)) throw new InvalidMessageError(`createTopics names topic "${body.name}" twice`)
    byName.set(body.name, body)
  })
  const { succeeded, failures } = await settleEntries(
    router,
    [...byName.keys()],
    (name) => name,
    async (pending) => {
      const response: CreateTopicsResponse = await router.toController('CreateTopics', {
        topics: pending.map((name) => byName.get(name)!),
        timeoutMs,
        validateOnly,
      })
      return new Map(
        response.topics.map((t) => [
          t.name,
          controllerOutcome('CreateTopics', t.name, t.errorCode, t.errorMessage, () => created(t)),
        ]),
      )
    },
    (errors) => refreshController(router, errors),
  )
  if (waitForLeaders && !validateOnly) {
    await waitForTopicLeaders(router, new Map([...succeeded].map(([name, topic]) => [name, topic.numPartitions])))
  }
  return unlessFailures('createTopics', failures, [...succeeded.values()])
}

function created(t: CreateTopicsResponse['topics'][number]): CreatedTopic {
  return {
    topic: t.name,
    topicId: t.topicId,
    numPartitions: t.numPartitions,
    replicationFactor: t.replicationFactor,
    configs: (t.configs ?? []).map((c) => ({
      name: c.name,
      value: c.value,
      readOnly: c.readOnly,
      configSource: configSourceName(c.configSource),
      isSensitive: c.isSensitive,
    })),
  }
}
