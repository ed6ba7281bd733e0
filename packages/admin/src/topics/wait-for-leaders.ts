import { errorFromCode } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { topicMetadata } from './list-topics.js'

const LEADER_NOT_AVAILABLE = 5

/**
 * Waits until the brokers' metadata shows each topic with (at least) the given
 * number of partitions, every one with a leader. The controller answers
 * CreateTopics and CreatePartitions before the brokers learn of the change, so
 * a describe, produce or listOffsets right after would not find the new
 * partitions; kafkajs's createTopics waits the same way (its waitForLeaders,
 * default true).
 */
export async function waitForLeaders(router: AdminRouter, partitionCounts: ReadonlyMap<string, number>): Promise<void> {
  const topics = [...partitionCounts.keys()]
  if (topics.length === 0) return
  await router.retrying(async () => {
    const response = await topicMetadata(router, topics)
    const ready = new Set(
      response.topics
        .filter(
          (t) =>
            t.errorCode === 0 &&
            t.name !== null &&
            t.partitions.length >= (partitionCounts.get(t.name) ?? 1) &&
            t.partitions.every((p) => p.leaderId >= 0),
        )
        .map((t) => t.name),
    )
    const waiting = topics.filter((topic) => !ready.has(topic))
    if (waiting.length > 0) {
      throw errorFromCode(LEADER_NOT_AVAILABLE, {
        api: 'Metadata',
        entity: waiting.join(', '),
        detail: 'created, but the brokers do not show every partition with a leader yet',
      })!
    }
  })
}
