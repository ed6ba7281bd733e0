import { InvalidMessageError } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { describe, optionalBoolean, requireName, requireOffset, requireOptions } from '../arguments.js'
import { commitGroupOffsets } from './alter-offsets.js'
import { describeGroupIfExists } from './describe-groups.js'
import { readCommittedOffsets } from './fetch-offsets.js'
import { ActiveGroupError } from './group-errors.js'
import { lookUpOffsets } from './partition-end-offsets.js'
import { checkTopicSelections, partitionName, resolveTopicPartitions, type TopicSelection } from './topic-partitions.js'

/**
 * Where to move the group, as kafka-consumer-groups --reset-offsets:
 * 'earliest' (--to-earliest), 'latest' (--to-latest), { offset } (--to-offset),
 * { timestamp } in ms (--to-datetime / --by-duration: the first offset at or after it,
 * the log end when there is none), { shiftBy } (--shift-by: the committed offset plus N,
 * which may be negative). Offsets are clamped to [earliest, latest], as the script does.
 */
export type ResetTarget = 'earliest' | 'latest' | { offset: bigint } | { timestamp: number } | { shiftBy: bigint }

export interface ResetGroupOffsetsRequest {
  groupId: string
  /** Topics (all their partitions) or { topic, partitions }; default: every partition the group has an offset for (--all-topics). */
  topics?: readonly TopicSelection[]
  to: ResetTarget
  /** Compute the new offsets without committing them (the script's default without --execute). Default false. */
  dryRun?: boolean
}

/** One partition's move. */
export interface ResetOffset {
  topic: string
  partition: number
  /** The committed offset before the reset, -1n when there was none. */
  previousOffset: bigint
  /** The offset committed (or, with dryRun, that would be). */
  offset: bigint
}

/** Group states in which offsets may be reset: no member can overwrite them. */
const INACTIVE_STATES = new Set(['Empty', 'Dead'])

/**
 * Resets a group's committed offsets, kafka-consumer-groups --reset-offsets
 * --execute. Only for a group without members: an active group fails with
 * ActiveGroupError before anything is committed. Resolves with each
 * partition's previous and new offset.
 */
export async function resetGroupOffsets(
  router: AdminRouter,
  request: ResetGroupOffsetsRequest,
): Promise<ResetOffset[]> {
  requireOptions(request, 'resetGroupOffsets request', ['groupId', 'topics', 'to', 'dryRun'])
  const groupId = requireName(request.groupId, 'resetGroupOffsets groupId')
  const target = checkTarget(request.to)
  const dryRun = optionalBoolean(request.dryRun, 'resetGroupOffsets dryRun') ?? false
  const selections =
    request.topics === undefined ? undefined : checkTopicSelections(request.topics, 'resetGroupOffsets topics')

  await requireInactive(router, groupId)
  const committed = await readCommittedOffsets(
    router,
    groupId,
    selections === undefined ? null : await resolveTopicPartitions(router, selections),
  )
  const partitions = new Map([...committed].map(([topic, byPartition]) => [topic, [...byPartition.keys()]]))
  if (partitions.size === 0) return []
  const [earliest, latest] = await Promise.all([
    lookUpOffsets(router, partitions, 'earliest'),
    lookUpOffsets(router, partitions, 'latest'),
  ])
  const byTimestamp =
    typeof target === 'object' && 'timestamp' in target ? await lookUpOffsets(router, partitions, target) : undefined

  const moves: ResetOffset[] = []
  for (const [topic, byPartition] of committed) {
    for (const [partition, { offset: previousOffset }] of byPartition) {
      const low = earliest.get(topic)?.get(partition) ?? 0n
      const high = latest.get(topic)?.get(partition) ?? 0n
      let wanted: bigint
      if (target === 'earliest') wanted = low
      else if (target === 'latest') wanted = high
      else if ('offset' in target) wanted = target.offset
      else if ('timestamp' in target) {
        const found = byTimestamp?.get(topic)?.get(partition) ?? -1n
        wanted = found < 0n ? high : found
      } else {
        if (previousOffset < 0n) {
          throw new InvalidMessageError(
            `resetGroupOffsets cannot shift ${partitionName(topic, partition)}: group ${groupId} has no committed offset there; reset it to 'earliest', 'latest' or an { offset } first`,
          )
        }
        wanted = previousOffset + target.shiftBy
      }
      const offset = wanted < low ? low : wanted > high ? high : wanted
      moves.push({ topic, partition, previousOffset, offset })
    }
  }
  if (!dryRun) {
    await commitGroupOffsets(
      router,
      groupId,
      moves.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
      'resetGroupOffsets',
    )
  }
  return moves
}

/** Fails with ActiveGroupError unless the group is Empty or unknown (as kafka-consumer-groups checks). */
async function requireInactive(router: AdminRouter, groupId: string): Promise<void> {
  // A group that does not exist yet has no members; the commit creates it.
  const group = await describeGroupIfExists(router, groupId)
  if (group && !INACTIVE_STATES.has(group.state)) {
    throw new ActiveGroupError(groupId, group.state, group.members.length, 'resetGroupOffsets')
  }
}

function checkTarget(to: unknown): ResetTarget {
  const example =
    "'earliest', 'latest', { offset: 42n }, { timestamp: Date.parse('2024-01-01T00:00:00Z') } or { shiftBy: -10n }"
  if (to === 'earliest' || to === 'latest') return to
  if (to !== null && typeof to === 'object' && !Array.isArray(to)) {
    const keys = Object.keys(to)
    const value = (to as Record<string, unknown>)[keys[0] ?? '']
    if (keys.length === 1 && keys[0] === 'offset')
      return { offset: requireOffset(value, 'resetGroupOffsets to.offset', 0n) }
    if (keys.length === 1 && keys[0] === 'shiftBy') {
      if (typeof value === 'bigint') return { shiftBy: value }
      if (typeof value === 'number' && Number.isSafeInteger(value)) return { shiftBy: BigInt(value) }
    }
    if (
      keys.length === 1 &&
      keys[0] === 'timestamp' &&
      typeof value === 'number' &&
      Number.isSafeInteger(value) &&
      value >= 0
    ) {
      return { timestamp: value }
    }
  }
  throw new InvalidMessageError(`resetGroupOffsets to must be ${example}; got ${describe(to)}`)
}
