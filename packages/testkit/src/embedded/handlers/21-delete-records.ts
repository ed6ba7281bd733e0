/**
 * DeleteRecords (key 21), versions 0-2. On each partition's leader, moves the
 * log start offset to the given offset (-1 means the high watermark), so the
 * records before it can no longer be read; whole batches below it are
 * dropped. An offset past the high watermark answers OFFSET_OUT_OF_RANGE, a
 * topic whose cleanup.policy lacks "delete" POLICY_VIOLATION. The answer's
 * low watermark is the new log start (replicas share the log, so they agree).
 */
import { Apis, createDeleteRecordsResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { ErrorCode } from '../state/data-errors.js'
import { logConfig } from '../state/log-config.js'
import { locatePartition } from './partition-lookup.js'

const HIGH_WATERMARK = -1n

export const deleteRecordsHandler = defineHandler({
  api: 'DeleteRecords',
  minVersion: Apis.DeleteRecords.minVersion,
  maxVersion: Apis.DeleteRecords.maxVersion,
  handle(request, context) {
    const topics = request.topics.map((t) => {
      const topic = context.cluster.topics.get(t.name)
      const partitions = t.partitions.map((p) => {
        const failed = (errorCode: number) => ({ partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode })
        const partition = locatePartition(context, topic, p.partitionIndex, { requireLeader: true })
        if (typeof partition === 'number') return failed(partition)
        if (!logConfig(context.cluster, topic!, context.broker.nodeId).delete) return failed(ErrorCode.POLICY_VIOLATION)
        const log = partition.log
        const offset = p.offset === HIGH_WATERMARK ? log.highWatermark : p.offset
        if (offset < 0n || offset > log.highWatermark) return failed(ErrorCode.OFFSET_OUT_OF_RANGE)
        log.truncateBefore(offset)
        return { partitionIndex: p.partitionIndex, lowWatermark: log.logStartOffset, errorCode: ErrorCode.NONE }
      })
      return { name: t.name, partitions }
    })
    return createDeleteRecordsResponse({ topics })
  },
})
