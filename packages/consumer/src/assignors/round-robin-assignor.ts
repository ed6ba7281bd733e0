// 'roundrobin': every partition of every subscribed topic, topics in name order, is dealt to
// the members in turn (sorted, static members first), skipping members not subscribed to the
// partition's topic. Same order as Java's RoundRobinAssignor.
import { assignmentInput, compareMembers } from './assignment-input.js'
import type {
  Assignment,
  Assignor,
  ClusterPartitions,
  GroupMember,
  RebalanceProtocol,
  TopicPartition,
} from './types.js'

export class RoundRobinAssignor implements Assignor {
  readonly name = 'roundrobin'
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['EAGER']

  subscriptionUserData(): Uint8Array | null {
    return null
  }

  assign(cluster: ClusterPartitions, members: readonly GroupMember[]): Map<string, Assignment> {
    const { subscriptions, groupInstanceIds, partitionsPerTopic } = assignmentInput(cluster, members)
    const assignment = new Map<string, TopicPartition[]>()
    const infos: { memberId: string; groupInstanceId: string | null }[] = []
    const allTopics = new Set<string>()
    for (const [memberId, subscription] of subscriptions) {
      assignment.set(memberId, [])
      infos.push({ memberId, groupInstanceId: groupInstanceIds.get(memberId) ?? null })
      for (const topic of subscription.topics) allTopics.add(topic)
    }
    const order = infos.sort(compareMembers).map((info) => info.memberId)
    const subscribed = new Map(order.map((memberId) => [memberId, new Set(subscriptions.get(memberId)?.topics)]))

    let next = 0
    for (const topic of [...allTopics].sort()) {
      const count = partitionsPerTopic.get(topic)?.length ?? 0
      for (let partition = 0; partition < count; partition++) {
        while (!subscribed.get(order[next % order.length] as string)?.has(topic)) next++
        const memberId = order[next % order.length] as string
        next++
        assignment.get(memberId)?.push({ topic, partition })
      }
    }
    return new Map([...assignment].map(([memberId, partitions]) => [memberId, { partitions, userData: null }]))
  }
}
