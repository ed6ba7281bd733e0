/**
 * CreatePartitions (key 37), versions 0-3. Grows a topic to `count`
 * partitions: fewer or as many as it has fail INVALID_PARTITIONS; a manual
 * assignment must give one replica list per new partition, with as many
 * replicas as the existing partitions, on registered brokers
 * (INVALID_REPLICA_ASSIGNMENT). Unknown topics answer UNKNOWN_TOPIC_OR_PARTITION,
 * a name given twice INVALID_REQUEST. validateOnly checks and changes nothing;
 * a timeoutMs of 0 or less times every topic out, as on KRaft.
 * Kafka fails a request adding over 10 000 partitions with an internal error;
 * here it is POLICY_VIOLATION, as CreateTopics answers the same excess.
 */
import { Apis, type CreatePartitionsResponseCreatePartitionsTopicResult } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import type { TopicState } from '../state/cluster-state.js'
import { AdminError, expiredOnArrival, MAX_PARTITIONS_PER_REQUEST } from './admin-errors.js'
import {
  assignReplicas,
  avoidStoppedBrokers,
  invalidAssignment,
  unreachableReplicationFactor,
} from './replica-assignment.js'

interface Growth {
  topic: TopicState
  count: number
  assignments: number[][] | null
}

export const createPartitionsHandler = defineHandler({
  api: 'CreatePartitions',
  minVersion: Apis.CreatePartitions.minVersion,
  maxVersion: Apis.CreatePartitions.maxVersion,
  handle(request, { cluster }) {
    const counts = new Map<string, number>()
    for (const { name } of request.topics) counts.set(name, (counts.get(name) ?? 0) + 1)
    if (expiredOnArrival(request.timeoutMs)) {
      const results = [...counts.keys()].map((name) => ({
        name,
        errorCode: AdminError.REQUEST_TIMED_OUT,
        errorMessage: null,
      }))
      return { throttleTimeMs: 0, results }
    }
    const checked = request.topics
      .filter(({ name }) => counts.get(name) === 1)
      .map(({ name, count, assignments }): [string, Growth | [number, string | null]] => {
        const topic = cluster.topics.get(name)
        if (!topic) return [name, [AdminError.UNKNOWN_TOPIC_OR_PARTITION, null]]
        const current = topic.partitions.length
        if (count === current)
          return [name, [AdminError.INVALID_PARTITIONS, `Topic already has ${current} partition(s).`]]
        if (count < current) {
          const message = `The topic ${name} currently has ${current} partition(s); ${count} would not be an increase.`
          return [name, [AdminError.INVALID_PARTITIONS, message]]
        }
        const replicationFactor = topic.partitions[0]?.replicas.length ?? 1
        if (assignments !== null) {
          if (assignments.length !== count - current) {
            const message = `Attempted to add ${count - current} additional partition(s), but only ${assignments.length} assignment(s) were specified.`
            return [name, [AdminError.INVALID_REPLICA_ASSIGNMENT, message]]
          }
          const lists = assignments.map((assignment) => assignment.brokerIds)
          const why = invalidAssignment(cluster, lists, replicationFactor)
          if (why) return [name, [AdminError.INVALID_REPLICA_ASSIGNMENT, why]]
          return [name, { topic, count, assignments: lists }]
        }
        const brokers = cluster.runningBrokers().length
        if (replicationFactor > brokers) {
          return [
            name,
            [AdminError.INVALID_REPLICATION_FACTOR, unreachableReplicationFactor(replicationFactor, brokers)],
          ]
        }
        return [name, { topic, count, assignments: null }]
      })
    const added = checked.reduce(
      (sum, [, growth]) => sum + (Array.isArray(growth) ? 0 : growth.count - growth.topic.partitions.length),
      0,
    )
    const results: CreatePartitionsResponseCreatePartitionsTopicResult[] = checked.map(([name, growth]) => {
      if (Array.isArray(growth)) return { name, errorCode: growth[0], errorMessage: growth[1] }
      if (added > MAX_PARTITIONS_PER_REQUEST) {
        return {
          name,
          errorCode: AdminError.POLICY_VIOLATION,
          errorMessage: 'Excessively large number of partitions per request.',
        }
      }
      if (!request.validateOnly) {
        const { topic, count, assignments } = growth
        const first = topic.partitions.length
        cluster.addPartitions(topic, count)
        if (assignments) {
          for (const [i, ids] of assignments.entries()) assignReplicas(cluster, topic.partitions[first + i]!, ids)
        } else avoidStoppedBrokers(cluster, topic.partitions.slice(first))
      }
      return { name, errorCode: AdminError.NONE, errorMessage: null }
    })
    for (const [name, count] of counts) {
      if (count > 1)
        results.push({ name, errorCode: AdminError.INVALID_REQUEST, errorMessage: 'Duplicate topic name.' })
    }
    return { throttleTimeMs: 0, results }
  },
})
