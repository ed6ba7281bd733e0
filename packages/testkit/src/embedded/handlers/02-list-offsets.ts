/**
 * ListOffsets (key 2), versions 1-10. Per partition, on its leader: -1 latest
 * (the high watermark, or the last stable offset for read_committed, with the
 * current leader epoch), -2 earliest (the log start), -3 the record with the
 * largest timestamp (v7+), -4 earliest local (v8+; no tiered storage, so the
 * log start), -5 latest tiered (v9+; no tiered storage, so -1 as Kafka
 * answers), or a timestamp: the first record whose timestamp is at least it
 * (offset and timestamp -1 when none). A special timestamp below its version
 * gets UNSUPPORTED_VERSION, a partition named twice INVALID_REQUEST.
 * currentLeaderEpoch fences; replica id -2 (debugging) may ask a follower.
 */
import {
  Apis,
  createListOffsetsResponse,
  createListOffsetsResponseListOffsetsPartitionResponse,
  type ListOffsetsRequestListOffsetsPartition,
  type ListOffsetsResponseListOffsetsPartitionResponse,
} from '@kafkit/protocol'
import { defineHandler, type RequestContext } from '../handler.js'
import type { PartitionState } from '../state/cluster-state.js'
import { ErrorCode } from '../state/data-errors.js'
import { maxTimestampOffset, offsetForTimestamp, type TimestampAndOffset } from '../state/offset-lookup.js'
import { locatePartition } from './partition-lookup.js'

const LATEST = -1n
const EARLIEST = -2n
const MAX_TIMESTAMP = -3n
const EARLIEST_LOCAL = -4n
const LATEST_TIERED = -5n
/** The first version that may ask for each special timestamp. */
const SPECIAL_TIMESTAMP_VERSIONS = new Map<bigint, number>([
  [LATEST, 1],
  [EARLIEST, 1],
  [MAX_TIMESTAMP, 7],
  [EARLIEST_LOCAL, 8],
  [LATEST_TIERED, 9],
])
const CONSUMER_REPLICA_ID = -1
const DEBUGGING_REPLICA_ID = -2
const READ_COMMITTED = 1

async function lookUp(
  partition: PartitionState,
  timestamp: bigint,
  isolationLevel: number | undefined,
): Promise<TimestampAndOffset | undefined> {
  const log = partition.log
  const lastFetchable =
    isolationLevel === undefined
      ? log.logEndOffset
      : isolationLevel === READ_COMMITTED
        ? log.lastStableOffset
        : log.highWatermark
  if (timestamp === LATEST) return { timestamp: -1, offset: lastFetchable, leaderEpoch: partition.leaderEpoch }
  if (timestamp === EARLIEST || timestamp === EARLIEST_LOCAL) {
    const first = log.epochs.earliest
    const leaderEpoch = first && first.startOffset <= log.logStartOffset ? first.epoch : -1
    return { timestamp: -1, offset: log.logStartOffset, leaderEpoch }
  }
  if (timestamp === LATEST_TIERED) return { timestamp: -1, offset: -1n, leaderEpoch: -1 }
  const found =
    timestamp === MAX_TIMESTAMP ? await maxTimestampOffset(log) : await offsetForTimestamp(log, Number(timestamp))
  // A client may not learn of offsets it could not fetch (beyond the high watermark or an open transaction).
  if (found && isolationLevel !== undefined && found.offset >= lastFetchable) return undefined
  return found
}

async function answer(
  context: RequestContext,
  topicName: string,
  request: ListOffsetsRequestListOffsetsPartition,
  replicaId: number,
  isolationLevel: number,
): Promise<ListOffsetsResponseListOffsetsPartitionResponse> {
  const respond = (errorCode: number, found?: TimestampAndOffset) =>
    createListOffsetsResponseListOffsetsPartitionResponse({
      partitionIndex: request.partitionIndex,
      errorCode,
      timestamp: BigInt(found?.timestamp ?? -1),
      offset: found?.offset ?? -1n,
      leaderEpoch: context.version >= 4 && found && found.leaderEpoch >= 0 ? found.leaderEpoch : -1,
    })
  const timestamp = request.timestamp
  if (timestamp < 0n && context.version < (SPECIAL_TIMESTAMP_VERSIONS.get(timestamp) ?? Number.POSITIVE_INFINITY)) {
    return respond(ErrorCode.UNSUPPORTED_VERSION)
  }
  const partition = locatePartition(context, context.cluster.topics.get(topicName), request.partitionIndex, {
    requireLeader: replicaId !== DEBUGGING_REPLICA_ID,
    currentLeaderEpoch: request.currentLeaderEpoch,
  })
  if (typeof partition === 'number') return respond(partition)
  const isolation = replicaId === CONSUMER_REPLICA_ID ? isolationLevel : undefined
  return respond(ErrorCode.NONE, await lookUp(partition, timestamp, isolation))
}

export const listOffsetsHandler = defineHandler({
  api: 'ListOffsets',
  minVersion: Apis.ListOffsets.minVersion,
  maxVersion: Apis.ListOffsets.maxVersion,
  async handle(request, context) {
    const seen = new Set<string>()
    const duplicates = new Set<string>()
    for (const topic of request.topics) {
      for (const p of topic.partitions) {
        const key = `${topic.name}:${p.partitionIndex}`
        if (seen.has(key)) duplicates.add(key)
        seen.add(key)
      }
    }
    const topics = []
    for (const topic of request.topics) {
      const partitions = []
      for (const p of topic.partitions) {
        partitions.push(
          duplicates.has(`${topic.name}:${p.partitionIndex}`)
            ? createListOffsetsResponseListOffsetsPartitionResponse({
                partitionIndex: p.partitionIndex,
                errorCode: ErrorCode.INVALID_REQUEST,
              })
            : await answer(context, topic.name, p, request.replicaId, request.isolationLevel),
        )
      }
      topics.push({ name: topic.name, partitions })
    }
    return createListOffsetsResponse({ topics })
  },
})
