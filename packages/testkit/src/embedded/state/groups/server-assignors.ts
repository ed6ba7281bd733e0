import { addPartition, countPartitions, type TopicIdPartitions } from './consumer-group-member.js'

/** What a server-side assignor sees of one member. */
export interface AssignorMember {
  memberId: string
  /** Topic ids the member subscribes to (resolved names and regex matches) that exist. */
  subscribedTopicIds: ReadonlySet<string>
  /** The member's current target assignment, for stickiness. */
  previous: TopicIdPartitions
}

export interface AssignorInput {
  members: readonly AssignorMember[]
  /** Partition count of every subscribed topic, by topic id, in topic-name order. */
  topics: ReadonlyMap<string, number>
}

export type ServerAssignor = (input: AssignorInput) => Map<string, TopicIdPartitions>

export const DEFAULT_SERVER_ASSIGNOR = 'uniform'

/**
 * Kafka's 'range' server assignor, per topic: the topic's subscribers sorted
 * by member id split its partitions into contiguous ranges, the first
 * (partitions % members) taking one more. Members with the same subscriptions
 * get the same partition numbers of co-partitioned topics.
 */
export const rangeAssignor: ServerAssignor = ({ members, topics }) => {
  const result = new Map<string, TopicIdPartitions>(members.map((m) => [m.memberId, new Map()]))
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
  for (const [topicId, count] of topics) {
    const subscribers = sorted.filter((m) => m.subscribedTopicIds.has(topicId))
    if (subscribers.length === 0) continue
    const quota = Math.floor(count / subscribers.length)
    const extra = count % subscribers.length
    let next = 0
    subscribers.forEach((member, index) => {
      const take = quota + (index < extra ? 1 : 0)
      const assignment = result.get(member.memberId) as TopicIdPartitions
      for (let p = next; p < next + take; p++) addPartition(assignment, topicId, p)
      next += take
    })
  }
  return result
}

/**
 * Kafka's 'uniform' server assignor (the default): balanced and sticky. Each
 * member keeps what it had, up to its fair share; what is left goes to the
 * least loaded member subscribed to its topic; then partitions move from the
 * most to the least loaded member until no move can narrow the gap (with
 * different subscriptions a perfect balance may not exist).
 */
export const uniformAssignor: ServerAssignor = ({ members, topics }) => {
  const result = new Map<string, TopicIdPartitions>(members.map((m) => [m.memberId, new Map()]))
  if (members.length === 0) return result
  const ordered = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
  const owner = new Map<string, string>()
  const key = (topicId: string, p: number) => `${topicId}:${p}`
  const total = [...topics.values()].reduce((sum, n) => sum + n, 0)
  const fair = Math.ceil(total / members.length)
  // Stickiness: keep previous partitions that still exist and are still subscribed, up to the fair share.
  for (const member of ordered) {
    const mine = result.get(member.memberId) as TopicIdPartitions
    for (const [topicId, partitions] of member.previous) {
      const count = topics.get(topicId)
      if (count === undefined || !member.subscribedTopicIds.has(topicId)) continue
      for (const p of [...partitions].sort((a, b) => a - b)) {
        if (p >= count || owner.has(key(topicId, p)) || countPartitions(mine) >= fair) continue
        addPartition(mine, topicId, p)
        owner.set(key(topicId, p), member.memberId)
      }
    }
  }
  const load = (memberId: string) => countPartitions(result.get(memberId) as TopicIdPartitions)
  const leastLoaded = (candidates: readonly AssignorMember[]) =>
    candidates.reduce((best, m) => (load(m.memberId) < load(best.memberId) ? m : best))
  for (const [topicId, count] of topics) {
    const subscribers = ordered.filter((m) => m.subscribedTopicIds.has(topicId))
    if (subscribers.length === 0) continue
    for (let p = 0; p < count; p++) {
      if (owner.has(key(topicId, p))) continue
      const member = leastLoaded(subscribers)
      addPartition(result.get(member.memberId) as TopicIdPartitions, topicId, p)
      owner.set(key(topicId, p), member.memberId)
    }
  }
  // Balance: move a partition from a more loaded member to one with at least two fewer that subscribes to its topic.
  for (let moved = true; moved; ) {
    moved = false
    const byLoad = [...ordered].sort((a, b) => load(b.memberId) - load(a.memberId))
    outer: for (const giver of byLoad) {
      for (const taker of [...byLoad].reverse()) {
        if (load(giver.memberId) - load(taker.memberId) < 2) break
        const from = result.get(giver.memberId) as TopicIdPartitions
        for (const [topicId, partitions] of from) {
          if (!taker.subscribedTopicIds.has(topicId) || partitions.size === 0) continue
          const p = Math.max(...partitions)
          partitions.delete(p)
          if (partitions.size === 0) from.delete(topicId)
          addPartition(result.get(taker.memberId) as TopicIdPartitions, topicId, p)
          moved = true
          break outer
        }
      }
    }
  }
  return result
}

export const SERVER_ASSIGNORS: ReadonlyMap<string, ServerAssignor> = new Map([
  ['uniform', uniformAssignor],
  ['range', rangeAssignor],
])
