/**
 * Reading the partitions of a Fetch, as Kafka's ReplicaManager.readFromLog
 * does: in order, within the request's byte budget, the first non-empty
 * partition's first batch whole even when it exceeds the limits (KIP-74).
 */
import { createFetchResponsePartitionData, type FetchResponsePartitionData } from '@kafkit/protocol'
import type { RequestContext } from '../handler.js'
import type { PartitionState } from '../state/cluster-state.js'
import { ErrorCode } from '../state/data-errors.js'
import type { FetchPartition, PartitionOutcome } from '../state/fetch-sessions.js'
import { locatePartition } from './partition-lookup.js'

/** Consumers may fetch from a follower from v11 (KIP-392), when they send their rack. */
const FOLLOWER_FETCH_VERSION = 11
const READ_COMMITTED = 1

export interface PartitionRead {
  data: FetchResponsePartitionData
  outcome: PartitionOutcome
}

function errorRead(partition: number, errorCode: number): PartitionRead {
  const data = createFetchResponsePartitionData({
    partitionIndex: partition,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: null,
    records: Buffer.alloc(0),
  })
  return { data, outcome: { errorCode, highWatermark: -1n, logStartOffset: -1n, recordBytes: 0, diverging: false } }
}

/** The partition a fetch names, or the error to answer with. */
export function locateFetched(context: RequestContext, fetched: FetchPartition): PartitionState | number {
  const byId = context.version >= 13
  const topic = byId ? context.cluster.topicsById.get(fetched.topicId) : context.cluster.topics.get(fetched.topic)
  if (!topic) return byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
  return locatePartition(context, topic, fetched.partition, {
    requireLeader: context.version < FOLLOWER_FETCH_VERSION,
    currentLeaderEpoch: fetched.currentLeaderEpoch,
  })
}

function readPartition(
  context: RequestContext,
  fetched: FetchPartition,
  maxBytes: number,
  minOneMessage: boolean,
  readCommitted: boolean,
): PartitionRead {
  const partition = locateFetched(context, fetched)
  if (typeof partition === 'number') return errorRead(fetched.partition, partition)
  const log = partition.log
  const offsets = {
    highWatermark: log.highWatermark,
    lastStableOffset: log.lastStableOffset,
    logStartOffset: log.logStartOffset,
  }
  // The aborted transactions a read_committed reader needs to filter what this answer returns.
  const aborted = (records: Buffer) =>
    records.length === 0
      ? []
      : log.producers
          .abortedBetween(fetched.fetchOffset, offsets.lastStableOffset)
          .map((txn) => ({ producerId: txn.producerId, firstOffset: txn.firstOffset }))
  const answer = (records: Buffer, diverging?: { epoch: number; endOffset: bigint }): PartitionRead => ({
    data: createFetchResponsePartitionData({
      partitionIndex: fetched.partition,
      ...offsets,
      ...(diverging ? { divergingEpoch: diverging } : {}),
      abortedTransactions: readCommitted ? aborted(records) : null,
      records,
    }),
    outcome: {
      errorCode: ErrorCode.NONE,
      highWatermark: offsets.highWatermark,
      logStartOffset: offsets.logStartOffset,
      recordBytes: records.length,
      diverging: diverging !== undefined,
    },
  })
  const offset = fetched.fetchOffset
  if (fetched.lastFetchedEpoch >= 0) {
    // The fetcher says which epoch its last record had: if this log ended that epoch earlier, it must truncate.
    const end = log.endOffsetForEpoch(fetched.lastFetchedEpoch)
    if (end.epoch < 0 || end.endOffset < 0n || offset < log.logStartOffset) {
      return errorRead(fetched.partition, ErrorCode.OFFSET_OUT_OF_RANGE)
    }
    if (end.epoch < fetched.lastFetchedEpoch || end.endOffset < offset) return answer(Buffer.alloc(0), end)
  }
  if (offset < log.logStartOffset || offset > log.logEndOffset) {
    return errorRead(fetched.partition, ErrorCode.OFFSET_OUT_OF_RANGE)
  }
  const upTo = readCommitted ? offsets.lastStableOffset : offsets.highWatermark
  return answer(log.readSlice(offset, { maxBytes, upTo, minOneMessage }))
}

/**
 * Reads every partition in order. The request's byte budget shrinks with each
 * partition's data; until some partition returned data, a first batch larger
 * than the limits is still returned whole.
 */
export function readPartitions(
  context: RequestContext,
  partitions: FetchPartition[],
  maxBytes: number,
  isolationLevel: number,
): Map<string, PartitionRead> {
  const reads = new Map<string, PartitionRead>()
  let budget = maxBytes
  let minOneMessage = true
  for (const fetched of partitions) {
    const limit = Math.min(fetched.partitionMaxBytes, budget)
    const read = readPartition(context, fetched, limit, minOneMessage, isolationLevel === READ_COMMITTED)
    const size = read.outcome.recordBytes
    if (size > 0) minOneMessage = false
    budget = Math.max(0, budget - size)
    reads.set(fetched.key, read)
  }
  return reads
}

/**
 * Bytes a waiting fetch could now return, as Kafka's DelayedFetch counts them
 * (each partition capped at its own limit); Infinity when a partition can no
 * longer be served here, so the fetch answers at once.
 */
export function availableBytes(context: RequestContext, partitions: FetchPartition[], isolationLevel: number): number {
  let total = 0
  for (const fetched of partitions) {
    const partition = locateFetched(context, fetched)
    if (typeof partition === 'number') return Number.POSITIVE_INFINITY
    const log = partition.log
    const upTo = isolationLevel === READ_COMMITTED ? log.lastStableOffset : log.highWatermark
    if (fetched.fetchOffset < log.logStartOffset || fetched.fetchOffset > log.logEndOffset) {
      return Number.POSITIVE_INFINITY
    }
    total += log.bytesFrom(fetched.fetchOffset, Math.max(fetched.partitionMaxBytes, 0), upTo)
  }
  return total
}
