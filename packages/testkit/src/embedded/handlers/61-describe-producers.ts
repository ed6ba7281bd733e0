/**
 * DescribeProducers (key 61), version 0. Per partition, the producers the
 * partition's producer state knows (Kafka's ReplicaManager.activeProducerState):
 * id, epoch, last sequence (-1 when only a marker is left of the current
 * epoch), timestamp of the last batch or marker, the coordinator epoch of its
 * last marker (-1 before one) and the first offset of its open transaction
 * (-1 when none). Any replica answers, as in Kafka (replicas share the log
 * here); a broker without a replica answers NOT_LEADER_OR_FOLLOWER, an
 * unknown topic or partition UNKNOWN_TOPIC_OR_PARTITION and an illegal topic
 * name INVALID_TOPIC_EXCEPTION.
 */
import { Apis, createDescribeProducersResponse, type DescribeProducersResponseProducerState } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { ErrorCode } from '../state/data-errors.js'
import type { ProducerStateTable } from '../state/producer-state.js'
import { invalidTopicName } from '../state/topic-names.js'
import { locatePartition } from './partition-lookup.js'

const NONE = -1
/** Kafka answers a topic-level error with the error's default message. */
const UNKNOWN_TOPIC_MESSAGE = 'This server does not host this topic-partition.'

function activeProducers(producers: ProducerStateTable): DescribeProducersResponseProducerState[] {
  return [...producers.entries].map((entry) => ({
    producerId: entry.producerId,
    producerEpoch: entry.epoch,
    lastSequence: entry.batches.at(-1)?.lastSeq ?? NONE,
    lastTimestamp: BigInt(entry.lastTimestamp),
    coordinatorEpoch: entry.coordinatorEpoch,
    currentTxnStartOffset: entry.currentTxnFirstOffset ?? BigInt(NONE),
  }))
}

export const describeProducersHandler = defineHandler({
  api: 'DescribeProducers',
  minVersion: Apis.DescribeProducers.minVersion,
  maxVersion: Apis.DescribeProducers.maxVersion,
  handle(request, context) {
    const topics = request.topics.map(({ name, partitionIndexes }) => {
      const topic = context.cluster.topics.get(name)
      const invalid = invalidTopicName(name)
      const topicError =
        invalid !== undefined
          ? { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: invalid }
          : topic
            ? undefined
            : { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: UNKNOWN_TOPIC_MESSAGE }
      const partitions = partitionIndexes.map((partitionIndex) => {
        if (topicError) return { partitionIndex, ...topicError, activeProducers: [] }
        const partition = locatePartition(context, topic, partitionIndex, { requireLeader: false })
        if (typeof partition === 'number')
          return { partitionIndex, errorCode: partition, errorMessage: null, activeProducers: [] }
        return {
          partitionIndex,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          activeProducers: activeProducers(partition.log.producers),
        }
      })
      return { name, partitions }
    })
    return createDescribeProducersResponse({ topics })
  },
})
