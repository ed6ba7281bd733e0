import { errorFromCode, InvalidMessageError, type MetadataResponse } from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { optionalBoolean, requireName, requireOptions } from '../arguments.js'
import { type AclOperationName, authorizedOperations } from '../authorized-operations.js'
import { type EntryOutcome, settleEntries } from '../entry-outcomes.js'
import { topicMetadata } from './list-topics.js'

/**
 * Which partitions describeTopics reports: all of them, those with fewer
 * in-sync replicas than replicas (`kafka-topics --under-replicated-partitions`),
 * or those without a live leader (`--unavailable-partitions`).
 */
export type PartitionFilter = 'all' | 'under-replicated' | 'unavailable'

export interface DescribeTopicsRequest {
  /** The topics to describe; default: every topic of the cluster, internal ones included (as kafka-topics). */
  topics?: readonly string[]
  /** Ask for the operations the caller may perform on each topic. Default false. */
  includeAuthorizedOperations?: boolean
  /** Default 'all'. With another filter, topics without such partitions are left out of the result. */
  partitions?: PartitionFilter
}

/** One partition of a described topic (Java's TopicPartitionInfo). */
export interface PartitionDescription {
  partition: number
  /** The leader's node id, -1 when the partition has none. */
  leader: number
  leaderEpoch: number
  replicas: number[]
  isr: number[]
  /** Replicas whose log dir is offline. */
  offlineReplicas: number[]
}

/** Java's TopicDescription (kafkajs's fetchTopicMetadata answer, with ids and epochs). */
export interface TopicDescription {
  name: string
  topicId: string
  isInternal: boolean
  partitions: PartitionDescription[]
  /** What the caller may do with the topic; only with includeAuthorizedOperations. */
  authorizedOperations?: AclOperationName[]
}

const LEADER_NOT_AVAILABLE = 5
const FILTERS: readonly PartitionFilter[] = ['all', 'under-replicated', 'unavailable']

/**
 * Metadata for the topics (any broker). A topic that does not exist fails as
 * UnknownTopicOrPartitionError; one still being created (LEADER_NOT_AVAILABLE)
 * is asked about again until the deadline.
 */
export async function describeTopics(
  router: AdminRouter,
  request: DescribeTopicsRequest = {},
): Promise<TopicDescription[]> {
  requireOptions(request, 'describeTopics()', ['topics', 'includeAuthorizedOperations', 'partitions'])
  const names = request.topics?.map((name, i) => requireName(name, `describeTopics topics[${i}]`))
  const withOperations =
    optionalBoolean(request.includeAuthorizedOperations, 'describeTopics includeAuthorizedOperations') ?? false
  const filter = request.partitions ?? 'all'
  if (!FILTERS.includes(filter)) {
    throw new InvalidMessageError(
      `describeTopics partitions must be one of ${FILTERS.join(', ')}; got ${String(filter)}`,
    )
  }
  let descriptions: TopicDescription[]
  if (names === undefined) {
    const response = await topicMetadata(router, undefined, withOperations)
    descriptions = response.topics.filter((t) => t.errorCode === 0).map((t) => described(t, response, filter))
    descriptions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  } else {
    const { succeeded, failures } = await settleEntries(
      router,
      [...new Set(names)],
      (name) => name,
      async (pending) => {
        const response = await topicMetadata(router, pending, withOperations)
        const outcomes = new Map<string, EntryOutcome<TopicDescription>>()
        for (const topic of response.topics) {
          if (topic.name === null) continue
          const error = errorFromCode(topic.errorCode, { api: 'Metadata', entity: topic.name })
          outcomes.set(
            topic.name,
            error
              ? { error, retry: topic.errorCode === LEADER_NOT_AVAILABLE }
              : { result: described(topic, response, filter) },
          )
        }
        return outcomes
      },
    )
    descriptions = unlessFailures('describeTopics', failures, [...succeeded.values()])
  }
  // kafka-topics leaves out topics with no partition to show when filtering.
  return filter === 'all' ? descriptions : descriptions.filter((topic) => topic.partitions.length > 0)
}

/** Whether a partition passes the filter, given the brokers the metadata lists as alive. */
function shown(partition: PartitionDescription, filter: PartitionFilter, live: ReadonlySet<number>): boolean {
  if (filter === 'under-replicated') return partition.isr.length < partition.replicas.length
  if (filter === 'unavailable') return partition.leader < 0 || !live.has(partition.leader)
  return true
}

function described(
  topic: MetadataResponse['topics'][number],
  response: MetadataResponse,
  filter: PartitionFilter,
): TopicDescription {
  const live = new Set(response.brokers.map((b) => b.nodeId))
  const description: TopicDescription = {
    name: topic.name!,
    topicId: topic.topicId,
    isInternal: topic.isInternal,
    partitions: topic.partitions
      .map((p) => ({
        partition: p.partitionIndex,
        leader: p.leaderId,
        leaderEpoch: p.leaderEpoch,
        replicas: p.replicaNodes,
        isr: p.isrNodes,
        offlineReplicas: p.offlineReplicas,
      }))
      .filter((p) => shown(p, filter, live))
      .sort((a, b) => a.partition - b.partition),
  }
  const operations = authorizedOperations(topic.topicAuthorizedOperations)
  if (operations) description.authorizedOperations = operations
  return description
}
