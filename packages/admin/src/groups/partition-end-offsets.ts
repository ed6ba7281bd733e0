import { AdminPartialFailureError } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { listOffsets } from '../records/list-offsets.js'

/** Where ListOffsets looks: the first offset, the log end, or the first offset at or after a timestamp (ms). */
export type OffsetLookup = 'earliest' | 'latest' | { timestamp: number }

/**
 * The offsets of a group's partitions through `listOffsets` (one request per
 * leader), by topic then partition; -1n where a timestamp lookup found no
 * record at or after it. Read uncommitted, as kafka-consumer-groups computes
 * lag. A partition that fails fails the group call with its own error.
 */
export async function lookUpOffsets(
  router: AdminRouter,
  partitions: ReadonlyMap<string, readonly number[]>,
  lookup: OffsetLookup,
): Promise<Map<string, Map<number, bigint>>> {
  const queries = [...partitions].flatMap(([topic, indexes]) =>
    indexes.map((partition) => ({ topic, partition, spec: lookup })),
  )
  if (queries.length === 0) return new Map()
  let listed: Awaited<ReturnType<typeof listOffsets>>
  try {
    listed = await listOffsets(router, { partitions: queries })
  } catch (error) {
    throw error instanceof AdminPartialFailureError && error.failures[0] ? error.failures[0].error : error
  }
  const offsets = new Map<string, Map<number, bigint>>()
  for (const { topic, partition, offset } of listed) {
    const byPartition = offsets.get(topic) ?? new Map<number, bigint>()
    offsets.set(topic, byPartition)
    byPartition.set(partition, offset)
  }
  return offsets
}
