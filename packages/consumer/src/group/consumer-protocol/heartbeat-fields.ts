import type { ConsumerGroupHeartbeatRequest } from '@kafkit/protocol'

/** What a heartbeat carries besides the member's identity. */
export interface MemberState {
  instanceId: string | null
  rackId: string | null
  rebalanceTimeoutMs: number
  serverAssignor: string | null
  subscribedTopicNames: readonly string[] | null
  subscribedTopicRegex: string | null
  /** Owned partitions by topic id, sorted. */
  owned: ReadonlyMap<string, readonly number[]>
}

/**
 * Which fields the coordinator already has, as Java's HeartbeatState tracks
 * them: a heartbeat sends only what changed since the last one that got an
 * answer (null meaning unchanged), and everything again after `reset()` (a
 * join, an error, a lost connection) — a full request, which the coordinator
 * answers with the whole assignment.
 */
export class HeartbeatFields {
  private sent: MemberState | undefined

  reset(): void {
    this.sent = undefined
  }

  /** The fields of the next request; `commit()` once the coordinator answered it. */
  build(
    state: MemberState,
    joining: boolean,
  ): Pick<
    ConsumerGroupHeartbeatRequest,
    | 'instanceId'
    | 'rackId'
    | 'rebalanceTimeoutMs'
    | 'serverAssignor'
    | 'subscribedTopicNames'
    | 'subscribedTopicRegex'
    | 'topicPartitions'
  > {
    const sent = this.sent
    const full = sent === undefined || joining
    const ownedList = [...state.owned].map(([topicId, partitions]) => ({ topicId, partitions: [...partitions] }))
    return {
      // Kafka identifies a static member by its instance id on every request.
      instanceId: state.instanceId,
      rackId: full ? state.rackId : null,
      rebalanceTimeoutMs: full || sent.rebalanceTimeoutMs !== state.rebalanceTimeoutMs ? state.rebalanceTimeoutMs : -1,
      serverAssignor: full || sent.serverAssignor !== state.serverAssignor ? state.serverAssignor : null,
      subscribedTopicNames:
        state.subscribedTopicNames !== null &&
        (full || !sameList(sent.subscribedTopicNames ?? null, state.subscribedTopicNames))
          ? [...state.subscribedTopicNames]
          : null,
      // An empty regex tells the coordinator the member dropped its regex for topic names.
      subscribedTopicRegex:
        state.subscribedTopicRegex !== null
          ? full || sent.subscribedTopicRegex !== state.subscribedTopicRegex
            ? state.subscribedTopicRegex
            : null
          : !full && sent.subscribedTopicRegex !== null
            ? ''
            : null,
      topicPartitions: joining ? [] : full || !sameOwned(sent.owned, state.owned) ? ownedList : null,
    }
  }

  commit(state: MemberState): void {
    this.sent = state
  }
}

function sameList(a: readonly string[] | null, b: readonly string[]): boolean {
  if (a === null || a.length !== b.length) return false
  const set = new Set(a)
  return b.every((name) => set.has(name))
}

function sameOwned(a: ReadonlyMap<string, readonly number[]>, b: ReadonlyMap<string, readonly number[]>): boolean {
  if (a.size !== b.size) return false
  for (const [topicId, partitions] of a) {
    const other = b.get(topicId)
    if (!other || other.length !== partitions.length || partitions.some((p, i) => other[i] !== p)) return false
  }
  return true
}
