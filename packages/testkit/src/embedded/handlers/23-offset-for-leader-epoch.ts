/**
 * OffsetForLeaderEpoch (key 23), versions 2-4. On each partition's leader
 * (currentLeaderEpoch fences), the end offset of the requested leader epoch
 * and the largest epoch not above it, from the log's leader epoch cache: the
 * current epoch ends at the log end, an epoch older than every cached one at
 * the first cached epoch's start, an unknown newer one answers -1 and -1.
 * Consumers use it to detect log truncation after a leader change (KIP-320).
 */
import { Apis, createOffsetForLeaderEpochResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { ErrorCode } from '../state/data-errors.js'
import { locatePartition } from './partition-lookup.js'

export const offsetForLeaderEpochHandler = defineHandler({
  api: 'OffsetForLeaderEpoch',
  minVersion: Apis.OffsetForLeaderEpoch.minVersion,
  maxVersion: Apis.OffsetForLeaderEpoch.maxVersion,
  handle(request, context) {
    const topics = request.topics.map((t) => {
      const topic = context.cluster.topics.get(t.topic)
      const partitions = t.partitions.map((p) => {
        const partition = locatePartition(context, topic, p.partition, {
          requireLeader: true,
          currentLeaderEpoch: p.currentLeaderEpoch,
        })
        if (typeof partition === 'number') {
          return { errorCode: partition, partition: p.partition, leaderEpoch: -1, endOffset: -1n }
        }
        const end = partition.log.endOffsetForEpoch(p.leaderEpoch)
        return { errorCode: ErrorCode.NONE, partition: p.partition, leaderEpoch: end.epoch, endOffset: end.endOffset }
      })
      return { topic: t.topic, partitions }
    })
    return createOffsetForLeaderEpochResponse({ topics })
  },
})
