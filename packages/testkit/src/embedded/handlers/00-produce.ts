/**
 * Produce (key 0), versions 3-13 (topic ids from v13). The leader of each
 * partition validates its one magic-2 batch as Kafka's log does (size against
 * max.message.bytes, CRC, records and offsets, timestamps, keys on compacted
 * topics, recompression to the topic's compression.type, LogAppendTime),
 * checks idempotent producers' epochs and sequences (a retried duplicate gets
 * its original offset), and appends. Replication is instant, so acks 1 and -1
 * both answer after the append; acks -1 first needs min.insync.replicas in
 * the ISR. A transactional batch that starts the producer's transaction in a
 * partition must be in the coordinator's ongoing transaction (KIP-890
 * verification; INVALID_TXN_STATE, TRANSACTION_ABORTABLE from v11 as in
 * Kafka 4.1, or INVALID_PRODUCER_EPOCH when fenced).
 * acks 0 gets no answer, and a failure closes the connection, as in
 * Kafka. NOT_LEADER_OR_FOLLOWER answers carry the current leader (v10+).
 */
import {
  Apis,
  ATTRIBUTES_OFFSET,
  createProduceResponse,
  createProduceResponsePartitionProduceResponse,
  type ProduceRequest,
  type ProduceResponseNodeEndpoint,
  type ProduceResponsePartitionProduceResponse,
  RECORD_BATCH_OVERHEAD,
  TRANSACTIONAL_FLAG,
  ZERO_UUID,
} from '@kafkit/protocol'
import { defineHandler, type RequestContext } from '../handler.js'
import { checkProduceRecords, validateForAppend } from '../state/append-validation.js'
import type { TopicState } from '../state/cluster-state.js'
import { DataError, ErrorCode } from '../state/data-errors.js'
import { logConfig } from '../state/log-config.js'
import { produceVerificationError } from '../state/transactions/transaction-coordinator.js'
import { transactionsOf } from '../state/transactions/transaction-state.js'
import { abortableFor } from '../state/transactions/txn-errors.js'
import { findTopic, leaderHint, locatePartition } from './partition-lookup.js'

type PartitionAnswer = ProduceResponsePartitionProduceResponse

/** Errors Kafka answers without the log start offset (they fail before the log is consulted). */
/** The first version that knows TRANSACTION_ABORTABLE (KIP-890): a partition not in the transaction gets it. */
const TRANSACTION_ABORTABLE_VERSION = 11
const WITHOUT_LOG_START = new Set<number>([
  ErrorCode.CORRUPT_MESSAGE,
  ErrorCode.MESSAGE_TOO_LARGE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.UNKNOWN_TOPIC_ID,
  ErrorCode.INVALID_TOPIC_EXCEPTION,
])

function failure(
  index: number,
  errorCode: number,
  message: string | null = null,
  logStartOffset = -1n,
): PartitionAnswer {
  return createProduceResponsePartitionProduceResponse({
    index,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: WITHOUT_LOG_START.has(errorCode) ? -1n : logStartOffset,
    errorMessage: message,
  })
}

function fromError(index: number, error: unknown, logStartOffset = -1n): PartitionAnswer {
  if (!(error instanceof DataError)) throw error
  const answer = failure(index, error.code, error.message, logStartOffset)
  answer.recordErrors = error.recordErrors.map((e) => ({ batchIndex: e.batchIndex, batchIndexErrorMessage: e.message }))
  return answer
}

/** Whether any partition's records start with a transactional batch (Kafka's RequestUtils.hasTransactionalRecords). */
export function hasTransactionalRecords(request: ProduceRequest): boolean {
  return request.topicData.some((topic) =>
    topic.partitionData.some(
      (p) =>
        p.records !== null &&
        p.records.length >= RECORD_BATCH_OVERHEAD &&
        (p.records.readInt16BE(ATTRIBUTES_OFFSET) & TRANSACTIONAL_FLAG) !== 0,
    ),
  )
}

/** A request-wide problem: invalid acks, or transactional batches without a transactional id. */
function requestError(request: ProduceRequest): number | undefined {
  if (request.acks !== 0 && request.acks !== 1 && request.acks !== -1) return ErrorCode.INVALID_REQUIRED_ACKS
  if (request.transactionalId !== null) return undefined
  return hasTransactionalRecords(request) ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : undefined
}

async function producePartition(
  context: RequestContext,
  acks: number,
  transactionalId: string | null,
  topic: TopicState | undefined,
  index: number,
  records: Buffer | null,
): Promise<PartitionAnswer> {
  if (!topic)
    return failure(index, context.version >= 13 ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
  if (!topic.partitions[index]) return failure(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
  let batch: Buffer
  try {
    batch = checkProduceRecords(records, context.version)
  } catch (error) {
    return fromError(index, error)
  }
  if (topic.isInternal)
    return failure(index, ErrorCode.INVALID_TOPIC_EXCEPTION, `cannot append to internal topic ${topic.name}`)
  const located = locatePartition(context, topic, index, { requireLeader: true })
  if (typeof located === 'number') return failure(index, located)
  const config = logConfig(context.cluster, topic, context.broker.nodeId)
  const minIsr = Math.min(config.minInsyncReplicas, located.replicas.length)
  if (acks === -1 && located.isr.length < minIsr) {
    const message = `the ISR [${located.isr.join(', ')}] of ${topic.name}-${index} is smaller than min.insync.replicas ${minIsr}`
    return failure(index, ErrorCode.NOT_ENOUGH_REPLICAS, message, located.log.logStartOffset)
  }
  const now = Date.now()
  let validated: Awaited<ReturnType<typeof validateForAppend>>
  try {
    validated = await validateForAppend(batch, config, now, `${topic.name}-${index}`)
  } catch (error) {
    return fromError(index, error, located.log.logStartOffset)
  }
  // Decompressing yields to other connections: the leader may have moved meanwhile.
  const partition = locatePartition(context, topic, index, { requireLeader: true })
  if (typeof partition === 'number') return failure(index, partition)
  const log = partition.log
  // From here to the append nothing awaits, so the producer state check and the append are atomic.
  const duplicate = log.producers.findDuplicate(validated.header)
  if (duplicate) {
    return createProduceResponsePartitionProduceResponse({
      index,
      baseOffset: duplicate.firstOffset,
      logAppendTimeMs: BigInt(duplicate.timestamp),
      logStartOffset: log.logStartOffset,
    })
  }
  try {
    log.producers.validate(validated.header)
  } catch (error) {
    return fromError(index, error, log.logStartOffset)
  }
  const header = validated.header
  const open = log.producers.get(header.producerId)
  if (
    transactionalId !== null &&
    header.isTransactional &&
    (open?.currentTxnFirstOffset === undefined || open.epoch !== header.producerEpoch)
  ) {
    const errorCode = abortableFor(
      produceVerificationError(
        transactionsOf(context.cluster),
        transactionalId,
        header.producerId,
        header.producerEpoch,
        topic.name,
        index,
      ),
      context.version,
      TRANSACTION_ABORTABLE_VERSION,
    )
    if (errorCode !== ErrorCode.NONE) {
      const message = `producer ${header.producerId} epoch ${header.producerEpoch} has no ongoing transaction with ${topic.name}-${index}`
      return failure(index, errorCode, message, log.logStartOffset)
    }
  }
  const stored = log.append(validated.bytes, partition.leaderEpoch, now)
  return createProduceResponsePartitionProduceResponse({
    index,
    baseOffset: stored.baseOffset,
    logAppendTimeMs: BigInt(validated.logAppendTime),
    logStartOffset: log.logStartOffset,
  })
}

export const produceHandler = defineHandler({
  api: 'Produce',
  minVersion: Apis.Produce.minVersion,
  maxVersion: Apis.Produce.maxVersion,
  async handle(request, context) {
    const byId = context.version >= 13
    const refused = requestError(request)
    const endpoints = new Map<number, ProduceResponseNodeEndpoint>()
    const failed: string[] = []
    const responses = []
    for (const topicData of request.topicData) {
      const topic = findTopic(context, topicData.name, topicData.topicId, byId)
      const partitionResponses: PartitionAnswer[] = []
      for (const data of topicData.partitionData) {
        const answer =
          refused === undefined
            ? await producePartition(context, request.acks, request.transactionalId, topic, data.index, data.records)
            : failure(data.index, refused)
        if (answer.errorCode !== ErrorCode.NONE) failed.push(`${topic?.name ?? topicData.name}-${data.index}`)
        if (answer.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER && context.version >= 10) {
          const hint = leaderHint(context, topic?.partitions[data.index])
          answer.currentLeader = { leaderId: hint.leaderId, leaderEpoch: hint.leaderEpoch }
          if (hint.endpoint) endpoints.set(hint.endpoint.nodeId, hint.endpoint)
        }
        partitionResponses.push(answer)
      }
      responses.push({
        name: topic?.name ?? topicData.name,
        topicId: topic?.topicId ?? (byId ? topicData.topicId : ZERO_UUID),
        partitionResponses,
      })
    }
    if (request.acks === 0) {
      // The producer reads no answer, so Kafka closes the connection to make it notice and refresh metadata.
      if (failed.length > 0)
        throw new Error(`closing the connection of an acks=0 produce that failed for ${failed.join(', ')}`)
      return null
    }
    return createProduceResponse({ responses, nodeEndpoints: [...endpoints.values()] })
  },
})
