// kafkajs's names for resetting and setting a group's offsets, so code migrating from
// kafkajs keeps working; both are thin shapes over resetGroupOffsets / alterGroupOffsets.
import { InvalidMessageError } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { describe, optionalBoolean, requireName, requireOptions } from '../arguments.js'
import { alterGroupOffsets, type GroupOffset } from './alter-offsets.js'
import { type ResetOffset, resetGroupOffsets } from './reset-offsets.js'

export interface ResetOffsetsRequest {
  groupId: string
  topic: string
  /** true: to the earliest offsets; false (default): to the latest, as kafkajs. */
  earliest?: boolean
}

export interface SetOffsetsRequest {
  groupId: string
  topic: string
  partitions: readonly { partition: number; offset: bigint }[]
}

/** kafkajs's resetOffsets({ groupId, topic, earliest }): resetGroupOffsets for one topic. */
export function resetOffsets(router: AdminRouter, request: ResetOffsetsRequest): Promise<ResetOffset[]> {
  requireOptions(request, 'resetOffsets request', ['groupId', 'topic', 'earliest'])
  const earliest = optionalBoolean(request.earliest, 'resetOffsets earliest') ?? false
  const topic = requireName(request.topic, 'resetOffsets topic')
  return resetGroupOffsets(router, { groupId: request.groupId, topics: [topic], to: earliest ? 'earliest' : 'latest' })
}

/** kafkajs's setOffsets({ groupId, topic, partitions }): alterGroupOffsets for one topic. */
export function setOffsets(router: AdminRouter, request: SetOffsetsRequest): Promise<GroupOffset[]> {
  requireOptions(request, 'setOffsets request', ['groupId', 'topic', 'partitions'])
  const topic = requireName(request.topic, 'setOffsets topic')
  if (!Array.isArray(request.partitions)) {
    throw new InvalidMessageError(
      `setOffsets partitions must be an array of { partition, offset }, e.g. [{ partition: 0, offset: 42n }]; got ${describe(request.partitions)}`,
    )
  }
  const offsets = request.partitions.map(({ partition, offset }) => ({ topic, partition, offset }))
  return alterGroupOffsets(router, { groupId: request.groupId, offsets })
}
