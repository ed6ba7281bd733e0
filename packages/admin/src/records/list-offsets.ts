import { errorFromCode, InvalidMessageError, type ListOffsetsResponse } from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { describe, requireOptions } from '../arguments.js'
import type { EntryOutcome } from '../entry-outcomes.js'
import { checkPartitions, type PartitionEntry, partitionName, sendToLeaders } from './partition-leaders.js'

/**
 * Which offset to look up (Java's OffsetSpec): the log start, the log end (the
 * last stable offset with read_committed), the offset of the record with the
 * highest timestamp, the first offset on local disk or the last one in tiered
 * storage, or the first offset whose timestamp is at or after `timestamp` (ms).
 */
export type OffsetSpec =
  | 'earliest'
  | 'latest'
  | 'max-timestamp'
  | 'earliest-local'
  | 'latest-tiered'
  | { timestamp: number | bigint }

/** Whether offsets of open transactions count (Java's IsolationLevel). */
export type IsolationLevel = 'read_uncommitted' | 'read_committed'

export interface OffsetQuery {
  topic: string
  partition: number
  spec: OffsetSpec
}

export interface ListOffsetsRequest {
  partitions: readonly OffsetQuery[]
  /** Default 'read_uncommitted', as in Java. */
  isolationLevel?: IsolationLevel
}

/** Java's ListOffsetsResultInfo: offset and timestamp are -1n when no record matches a timestamp. */
export interface ListedOffset {
  topic: string
  partition: number
  offset: bigint
  /** The timestamp of the record found (timestamp and max-timestamp specs); -1n for the log ends. */
  timestamp: bigint
  leaderEpoch: number
}

/** ListOffsets' special timestamps and the first version that knows each. */
const SPECIAL: Readonly<Record<string, { timestamp: bigint; minVersion: number }>> = {
  latest: { timestamp: -1n, minVersion: 0 },
  earliest: { timestamp: -2n, minVersion: 0 },
  'max-timestamp': { timestamp: -3n, minVersion: 7 },
  'earliest-local': { timestamp: -4n, minVersion: 8 },
  'latest-tiered': { timestamp: -5n, minVersion: 9 },
}

type Query = PartitionEntry & { timestamp: bigint; minVersion: number }

function timestampOf(spec: OffsetSpec, what: string): { timestamp: bigint; minVersion: number } {
  if (typeof spec === 'string' && spec in SPECIAL) return SPECIAL[spec]!
  if (spec !== null && typeof spec === 'object' && 'timestamp' in spec) {
    const { timestamp } = spec
    if ((typeof timestamp === 'number' && Number.isSafeInteger(timestamp)) || typeof timestamp === 'bigint') {
      if (BigInt(timestamp) >= 0n) return { timestamp: BigInt(timestamp), minVersion: 0 }
    }
  }
  throw new InvalidMessageError(
    `${what} must be one of ${Object.keys(SPECIAL).join(', ')} or { timestamp: <ms since the epoch, >= 0> }; got ${describe(spec)}`,
  )
}

function isolationCode(level: IsolationLevel | undefined, what: string): number {
  if (level === undefined || level === 'read_uncommitted') return 0
  if (level === 'read_committed') return 1
  throw new InvalidMessageError(`${what} must be 'read_uncommitted' or 'read_committed'; got ${describe(level)}`)
}

/**
 * ListOffsets, one request per partition leader (`kafka-get-offsets`,
 * Java's listOffsets). A leader that moved is found again and asked again.
 */
export async function listOffsets(router: AdminRouter, request: ListOffsetsRequest): Promise<ListedOffset[]> {
  requireOptions(request, 'listOffsets()', ['partitions', 'isolationLevel'])
  const isolationLevel = isolationCode(request.isolationLevel, 'listOffsets isolationLevel')
  const queries: Query[] = checkPartitions(
    'listOffsets',
    request.partitions,
    "[{ topic: 'orders', partition: 0, spec: 'latest' }]",
    'spec',
    (query, what) => timestampOf(query.spec, `${what}.spec`),
  )
  const { succeeded, failures } = await sendToLeaders(router, queries, async (leader, list) => {
    const topics = new Map<string, Query[]>()
    for (const query of list) topics.set(query.topic, [...(topics.get(query.topic) ?? []), query])
    const needed = Math.max(...list.map((q) => q.minVersion))
    const response: ListOffsetsResponse = await router.client.cluster.request(leader, 'ListOffsets', (version) => {
      if (version < needed) {
        const spec = Object.keys(SPECIAL).find((name) => SPECIAL[name]!.minVersion === needed)
        throw errorFromCode(35, {
          api: 'ListOffsets',
          detail: `the '${spec}' offset spec needs ListOffsets v${needed}; broker ${leader} speaks v${version}`,
        })!
      }
      return {
        replicaId: -1,
        isolationLevel,
        timeoutMs: router.options.defaultApiTimeoutMs,
        topics: [...topics].map(([name, parts]) => ({
          name,
          partitions: parts.map((p) => ({
            partitionIndex: p.partition,
            currentLeaderEpoch: -1,
            timestamp: p.timestamp,
          })),
        })),
      }
    })
    const outcomes = new Map<Query, EntryOutcome<ListedOffset>>()
    for (const topic of response.topics) {
      for (const p of topic.partitions) {
        const query = list.find((q) => q.topic === topic.name && q.partition === p.partitionIndex)
        if (!query) continue
        const entity = partitionName(query)
        const error = errorFromCode(p.errorCode, { api: 'ListOffsets', entity, broker: String(leader) })
        const { offset, timestamp, leaderEpoch } = p
        const result = { topic: query.topic, partition: query.partition, offset, timestamp, leaderEpoch }
        outcomes.set(query, error ? { error, retry: error.retriable } : { result })
      }
    }
    return outcomes
  })
  return unlessFailures('listOffsets', failures, [...succeeded.values()])
}
