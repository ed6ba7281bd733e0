import { isCoordinatorMovedCode, type KafkaClient, withRetries } from '@kafkit/client'
import {
  ApiError,
  errorFromCode,
  type OffsetCommitResponse,
  type OffsetFetchResponse,
  ZERO_UUID,
} from '@kafkit/protocol'
import type { TopicPartition } from '../assignors/types.js'
import { CommitFailedError } from '../errors.js'
import type { GroupMetadata } from '../group/group-membership.js'
import { partitionKey } from '../subscription-state.js'

/** An offset to commit: the NEXT offset to read (last processed + 1), with that record's leader epoch. */
export interface OffsetToCommit extends TopicPartition {
  offset: bigint
  /** Leader epoch of the last processed record, -1 when unknown. */
  leaderEpoch?: number
  metadata?: string | null
}

export interface CommittedOffset {
  offset: bigint
  leaderEpoch: number
  metadata: string | null
}

/** Membership errors: the commit came from a generation (or member epoch) the group has left behind. */
const FENCED_CODES = new Set([22, 25, 27, 82, 110, 113])

export interface CommitOptions {
  requestTimeoutMs: number
  retryBackoffMs: number
  retryBackoffMaxMs: number
  signal?: AbortSignal
}

/**
 * Commits offsets to a group's coordinator and reads them back: OffsetCommit
 * and OffsetFetch, with the coordinator found (and found again after
 * NOT_COORDINATOR) by the client. Memberships never see this: they hand over
 * their GroupMetadata, and the consumer commits.
 */
export class CommittedOffsets {
  constructor(
    private readonly client: KafkaClient,
    private readonly options: CommitOptions,
  ) {}

  /**
   * Commits `offsets` for `group` (generation -1 and member '' for a consumer
   * using assign()). Rejects with CommitFailedError when the group moved on to a
   * new generation, with the broker's typed error otherwise.
   */
  async commit(group: GroupMetadata, offsets: readonly OffsetToCommit[]): Promise<void> {
    if (offsets.length === 0) return
    for (const o of offsets) await this.#knowTopic(o.topic)
    const metadata = this.client.cluster.metadata
    await this.#withCoordinator(group.groupId, async (node) => {
      const response = (await this.client.cluster.request(
        node,
        'OffsetCommit',
        (version) => ({
          groupId: group.groupId,
          generationIdOrMemberEpoch: group.generationId,
          memberId: group.memberId,
          groupInstanceId: group.groupInstanceId,
          retentionTimeMs: -1n,
          topics: byTopic(offsets).map(([topic, list]) => ({
            name: version >= 10 ? '' : topic,
            topicId: version >= 10 ? (metadata.topic(topic)?.topicId ?? ZERO_UUID) : ZERO_UUID,
            partitions: list.map((o) => ({
              partitionIndex: o.partition,
              committedOffset: o.offset,
              committedLeaderEpoch: o.leaderEpoch ?? -1,
              committedMetadata: o.metadata ?? '',
            })),
          })),
        }),
        { signal: this.options.signal },
      )) as OffsetCommitResponse
      for (const topic of response.topics) {
        for (const p of topic.partitions) {
          if (p.errorCode === 0) continue
          const name = topic.name || nameOf(this.client, topic.topicId)
          this.#throwFor(p.errorCode, group.groupId, `${name}-${p.partitionIndex}`, 'OffsetCommit', node)
        }
      }
    })
  }

  /** The committed offsets of `partitions` (absent: nothing committed), waiting out unstable offsets of open transactions. */
  async fetch(
    groupId: string,
    partitions: readonly TopicPartition[],
    member: { memberId: string | null; memberEpoch: number } = { memberId: null, memberEpoch: -1 },
  ): Promise<Map<string, CommittedOffset>> {
    const result = new Map<string, CommittedOffset>()
    if (partitions.length === 0) return result
    for (const tp of partitions) await this.#knowTopic(tp.topic)
    const metadata = this.client.cluster.metadata
    await this.#withCoordinator(groupId, async (node) => {
      let usedIds = false
      const response = (await this.client.cluster.request(
        node,
        'OffsetFetch',
        (version) => {
          usedIds = version >= 10
          const topics = byTopic(partitions)
          return version >= 8
            ? {
                groupId: '',
                topics: [],
                requireStable: true,
                groups: [
                  {
                    groupId,
                    memberId: member.memberId,
                    memberEpoch: member.memberEpoch,
                    topics: topics.map(([topic, list]) => ({
                      name: usedIds ? '' : topic,
                      topicId: usedIds ? (metadata.topic(topic)?.topicId ?? ZERO_UUID) : ZERO_UUID,
                      partitionIndexes: list.map((p) => p.partition),
                    })),
                  },
                ],
              }
            : {
                groupId,
                topics: topics.map(([topic, list]) => ({
                  name: topic,
                  partitionIndexes: list.map((p) => p.partition),
                })),
                groups: [],
                requireStable: version >= 7,
              }
        },
        { signal: this.options.signal },
      )) as OffsetFetchResponse
      const group = response.groups[0]
      const groupError = group ? group.errorCode : response.errorCode
      if (groupError !== 0) this.#throwFor(groupError, groupId, groupId, 'OffsetFetch', node)
      const topics = group
        ? group.topics.map((t) => ({ name: t.name || nameOf(this.client, t.topicId), partitions: t.partitions }))
        : response.topics
      for (const topic of topics) {
        for (const p of topic.partitions) {
          if (p.errorCode !== 0)
            this.#throwFor(p.errorCode, groupId, `${topic.name}-${p.partitionIndex}`, 'OffsetFetch', node)
          if (p.committedOffset < 0n) continue
          result.set(partitionKey(topic.name, p.partitionIndex), {
            offset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch,
            metadata: p.metadata,
          })
        }
      }
    })
    return result
  }

  async #knowTopic(topic: string): Promise<void> {
    if (!this.client.cluster.metadata.topic(topic)) await this.client.cluster.refreshMetadata({ topics: [topic] })
  }

  #throwFor(code: number, groupId: string, entity: string, api: string, node: number): never {
    const error = errorFromCode(code, { api, entity, broker: String(node) })!
    if (FENCED_CODES.has(code)) {
      throw new CommitFailedError(
        `${api} for group "${groupId}" was rejected (${(error as ApiError).errorName}): a rebalance moved the partitions on; they will be processed again by their new owner`,
        error,
      )
    }
    throw error
  }

  async #withCoordinator(groupId: string, operation: (node: number) => Promise<void>): Promise<void> {
    const cluster = this.client.cluster
    await withRetries(
      async () => {
        const node = await cluster.findCoordinator('group', groupId, { signal: this.options.signal })
        try {
          await operation(node)
        } catch (error) {
          if (error instanceof ApiError && isCoordinatorMovedCode(error.code)) {
            cluster.invalidateCoordinator('group', groupId)
          }
          throw error
        }
      },
      {
        retryBackoffMs: this.options.retryBackoffMs,
        retryBackoffMaxMs: this.options.retryBackoffMaxMs,
        deadlineMs: this.options.requestTimeoutMs,
        signal: this.options.signal,
      },
    )
  }
}

function nameOf(client: KafkaClient, topicId: string): string {
  return client.cluster.metadata.topics.find((t) => t.topicId === topicId)?.name ?? topicId
}

function byTopic<T extends TopicPartition>(partitions: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>()
  for (const p of partitions) {
    const list = groups.get(p.topic)
    if (list) list.push(p)
    else groups.set(p.topic, [p])
  }
  return [...groups]
}
