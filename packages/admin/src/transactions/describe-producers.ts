import { type DescribeProducersResponseProducerState, errorFromCode, InvalidMessageError } from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { describe, optionalInteger, requireOptions } from '../arguments.js'
import { entryError } from '../groups/group-errors.js'
import {
  checkTopicSelections,
  partitionName,
  resolveTopicPartitions,
  type TopicSelection,
} from '../groups/topic-partitions.js'
import { perEntry } from '../per-entry.js'

const UNKNOWN_TOPIC_OR_PARTITION = 3

export interface DescribeProducersRequest {
  /** Topics (all their partitions) or { topic, partitions }. */
  topics: readonly TopicSelection[]
  /** Ask this broker instead of each partition's leader (Java's DescribeProducersOptions.brokerId), e.g. to look at a follower. */
  brokerId?: number
}

/** A producer with state in a partition (Java's ProducerState). */
export interface ProducerState {
  producerId: bigint
  producerEpoch: number
  lastSequence: number
  /** Timestamp of the producer's last record, ms since the epoch. */
  lastTimestamp: number
  /** The coordinator epoch of the producer's last transaction marker, null when none was written. */
  coordinatorEpoch: number | null
  /** The first offset of the producer's open transaction in the partition, null when none is open. */
  currentTransactionStartOffset: bigint | null
}

export interface PartitionProducers {
  topic: string
  partition: number
  activeProducers: ProducerState[]
}

/**
 * The producers with state in each partition (DescribeProducers at the
 * partition's leader, or at `brokerId`): idempotent and transactional
 * producers, their last sequence and open transaction. Partitions that fail
 * (UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER at a given broker...)
 * reject with AdminPartialFailureError, entry `topic-partition`.
 */
export async function describeProducers(
  router: AdminRouter,
  request: DescribeProducersRequest,
): Promise<PartitionProducers[]> {
  requireOptions(request, 'describeProducers request', ['topics', 'brokerId'])
  const brokerId = optionalInteger(request.brokerId, 'describeProducers brokerId', 0)
  const partitions = await resolveTopicPartitions(
    router,
    checkTopicSelections(request.topics, 'describeProducers topics'),
  )
  if ([...partitions.values()].every((p) => p.length === 0)) {
    throw new InvalidMessageError(`describeProducers needs at least one partition; got ${describe(request.topics)}`)
  }
  // Partitions past a topic's count fail at once instead of waiting for a leader until the deadline.
  await router.client.cluster.refreshMetadata({ topics: [...partitions.keys()] })
  const metadata = router.client.cluster.metadata
  const entries = [...partitions].flatMap(([topic, indexes]) => indexes.map((partition) => ({ topic, partition })))
  const { succeeded, failures } = await perEntry(
    entries,
    ({ topic, partition }) => partitionName(topic, partition),
    async ({ topic, partition }): Promise<PartitionProducers> => {
      if (!metadata.partition(topic, partition)) {
        throw errorFromCode(UNKNOWN_TOPIC_OR_PARTITION, {
          api: 'DescribeProducers',
          entity: partitionName(topic, partition),
          detail: `${topic} has no partition ${partition}`,
        })!
      }
      const body = { topics: [{ name: topic, partitionIndexes: [partition] }] }
      // At the leader a moved leader is followed; at a named broker its answer is final.
      const response =
        brokerId === undefined
          ? await router.toLeader(
              topic,
              partition,
              'DescribeProducers',
              body,
              (r) => r.topics[0]?.partitions[0]?.errorCode ?? 0,
            )
          : await router.toBroker(brokerId, 'DescribeProducers', body)
      const answer = response.topics[0]?.partitions[0]
      const entity = partitionName(topic, partition)
      const error = entryError(answer?.errorCode ?? 0, 'DescribeProducers', entity, answer?.errorMessage)
      if (error) throw error
      return { topic, partition, activeProducers: (answer?.activeProducers ?? []).map(producerState) }
    },
  )
  return unlessFailures('describeProducers', failures, [...succeeded.values()])
}

function producerState(p: DescribeProducersResponseProducerState): ProducerState {
  return {
    producerId: p.producerId,
    producerEpoch: p.producerEpoch,
    lastSequence: p.lastSequence,
    lastTimestamp: Number(p.lastTimestamp),
    coordinatorEpoch: p.coordinatorEpoch < 0 ? null : p.coordinatorEpoch,
    currentTransactionStartOffset: p.currentTxnStartOffset < 0n ? null : p.currentTxnStartOffset,
  }
}
