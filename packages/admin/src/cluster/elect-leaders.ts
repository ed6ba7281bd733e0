import { type ElectLeadersResponse, errorFromCode, InvalidMessageError } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { optionalInteger, requireInteger, requireName, requireOptions } from '../arguments.js'
import type { TopicPartition } from '../groups/topic-partitions.js'
import { partitionResults } from './partition-results.js'

export type ElectionType = 'preferred' | 'unclean'

export interface ElectLeadersRequest {
  /**
   * 'preferred' (default) moves leadership back to each partition's first
   * replica; 'unclean' gives a leaderless partition a leader from outside the
   * ISR, which may lose records (ElectLeaders v1, Kafka 2.4+).
   */
  electionType?: ElectionType
  /** The partitions; omitted or null: every partition of the cluster. */
  partitions?: readonly TopicPartition[] | null
  /** How long the controller may take, in milliseconds. Default 60 000. */
  timeoutMs?: number
}

const TYPES: Record<ElectionType, number> = { preferred: 0, unclean: 1 }
const UNSUPPORTED_VERSION = 35

/** Checks and de-duplicates `{ topic, partition }` entries; `what` names them in messages. */
export function topicPartitions(value: unknown, what: string): TopicPartition[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidMessageError(`${what} must be a non-empty array, e.g. [{ topic: 'orders', partition: 0 }]`)
  }
  const seen = new Map<string, TopicPartition>()
  value.forEach((entry: Partial<TopicPartition> | null, i) => {
    if (entry === null || typeof entry !== 'object') {
      throw new InvalidMessageError(`${what}[${i}] must be { topic, partition }; got ${String(entry)}`)
    }
    const topic = requireName(entry.topic, `${what}[${i}].topic`)
    const partition = requireInteger(entry.partition, `${what}[${i}].partition`, 0)
    seen.set(`${topic}-${partition}`, { topic, partition })
  })
  return [...seen.values()]
}

/** Groups partitions by topic, in first-seen order. */
export function byTopic(partitions: readonly TopicPartition[]): Map<string, number[]> {
  const topics = new Map<string, number[]>()
  for (const { topic, partition } of partitions) topics.set(topic, [...(topics.get(topic) ?? []), partition])
  return topics
}

/**
 * ElectLeaders on the controller, as Java's electLeaders. Resolves with the
 * partitions whose leader was elected; rejects with AdminPartialFailureError
 * naming each `topic-partition` that failed: ElectionNotNeededError when it
 * already has the leader asked for, PreferredLeaderNotAvailableError,
 * EligibleLeadersNotAvailableError, UnknownTopicOrPartitionError. With every
 * partition (no `partitions`), those needing no election are left out.
 */
export async function electLeaders(router: AdminRouter, request: ElectLeadersRequest = {}): Promise<TopicPartition[]> {
  requireOptions(request, 'electLeaders()', ['electionType', 'partitions', 'timeoutMs'])
  const electionType = request.electionType ?? 'preferred'
  if (!(electionType in TYPES)) {
    throw new InvalidMessageError(
      `electLeaders electionType must be 'preferred' or 'unclean'; got ${String(electionType)}`,
    )
  }
  const partitions =
    request.partitions === undefined || request.partitions === null
      ? null
      : topicPartitions(request.partitions, 'electLeaders partitions')
  const timeoutMs = optionalInteger(request.timeoutMs, 'electLeaders timeoutMs', 1) ?? 60_000
  const response: ElectLeadersResponse = await router.toController(
    'ElectLeaders',
    (version) => {
      if (version < 1 && electionType !== 'preferred') {
        throw errorFromCode(UNSUPPORTED_VERSION, {
          api: 'ElectLeaders',
          detail: `an unclean election needs ElectLeaders v1 (Kafka 2.4+); the broker speaks v${version}`,
        })!
      }
      return {
        electionType: TYPES[electionType],
        topicPartitions:
          partitions === null ? null : [...byTopic(partitions)].map(([topic, ids]) => ({ topic, partitions: ids })),
        timeoutMs,
      }
    },
    (r) => r.errorCode,
  )
  return partitionResults(
    'electLeaders',
    'ElectLeaders',
    response.replicaElectionResults.flatMap(({ topic, partitionResult }) =>
      partitionResult.map((r) => ({
        topic,
        partition: r.partitionId,
        errorCode: r.errorCode,
        errorMessage: r.errorMessage,
      })),
    ),
  )
}
