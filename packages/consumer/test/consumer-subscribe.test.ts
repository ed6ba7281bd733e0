import { KafkaClient } from '@kafkit/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/integration/support/wait-for.js'
import {
  type AssignmentListener,
  Consumer,
  type GroupMembership,
  type GroupMetadata,
  type TopicPartition,
} from '../src/index.js'
import { type ConsumerFixture, pollValues, startConsumerFixture } from './consumer-support.js'

let fx: ConsumerFixture
beforeAll(async () => {
  fx = await startConsumerFixture()
})
afterAll(() => fx?.stop())

/** A membership the test drives: assigns and revokes on command, with a fixed generation (committed as a simple group accepts). */
class FakeMembership implements GroupMembership {
  readonly protocol = 'classic'
  listener: AssignmentListener | undefined
  topics: readonly string[] = []
  assignment: TopicPartition[] = []
  polls = 0
  left = false
  constructor(readonly groupMetadata: GroupMetadata) {}
  start(topics: readonly string[], listener: AssignmentListener): void {
    this.topics = topics
    this.listener = listener
  }
  updateSubscription(topics: readonly string[]): void {
    this.topics = topics
  }
  recordPoll(): void {
    this.polls++
  }
  async whenStable(): Promise<void> {}
  async assign(partitions: TopicPartition[]): Promise<void> {
    this.assignment.push(...partitions)
    await this.listener!.onAssigned(partitions)
  }
  async revoke(partitions: TopicPartition[]): Promise<void> {
    await this.listener!.onRevoked(partitions)
    this.assignment = this.assignment.filter(
      (a) => !partitions.some((p) => p.topic === a.topic && p.partition === a.partition),
    )
  }
  async leave(): Promise<void> {
    if (this.left) return
    this.left = true
    await this.revoke([...this.assignment])
  }
}

describe('Consumer.subscribe with a membership', () => {
  it('reads assigned partitions, commits processed offsets on revoke with the group identity, and calls the listener in order', async () => {
    const topic = await fx.topic('subscribe', 2)
    await fx.produce(topic, [
      { partition: 0, value: 'a' },
      { partition: 0, value: 'b' },
      { partition: 1, value: 'c' },
    ])
    const groupId = `g-${topic}`
    // Generation -1 / member '': the embedded coordinator accepts these commits for a group without members.
    const membership = new FakeMembership({ groupId, generationId: -1, memberId: '', groupInstanceId: null })
    const events: string[] = []
    const created: unknown[] = []
    const client = new KafkaClient({ brokers: fx.cluster.bootstrapServers })
    fx.clients.push(client)
    // The hook replaces the registered membership for this consumer only.
    const hooksConsumer = new Consumer(
      client,
      { groupId, autoOffsetReset: 'earliest', maxWaitMs: 50 },
      {
        createMembership: (context) => {
          created.push(context.options.groupId)
          return membership
        },
      },
    )
    hooksConsumer.subscribe([topic], {
      onPartitionsAssigned: (tps) => {
        events.push(`assigned ${tps.map((t) => t.partition).join(',')}`)
      },
      onPartitionsRevoked: (tps) => {
        events.push(`revoked ${tps.map((t) => t.partition).join(',')}`)
      },
    })
    expect(created).toEqual([groupId])
    expect(membership.topics).toEqual([topic])
    await membership.assign([
      { topic, partition: 0 },
      { topic, partition: 1 },
    ])
    const values = await pollValues(hooksConsumer, 3)
    expect(values.sort()).toEqual(['0:a', '0:b', '1:c'])
    expect(membership.polls).toBeGreaterThan(0)
    // The records returned count as processed at the next poll; revoke commits them (next offset to read).
    await hooksConsumer.poll({ timeoutMs: 0 })
    await membership.revoke([{ topic, partition: 0 }])
    expect(hooksConsumer.assignment()).toEqual([{ topic, partition: 1 }])
    const committed = await hooksConsumer.committed([
      { topic, partition: 0 },
      { topic, partition: 1 },
    ])
    expect(committed.get(`${topic}-0`)?.offset).toBe(2n)
    expect(committed.has(`${topic}-1`)).toBe(false)
    await hooksConsumer.close()
    expect(membership.left).toBe(true)
    // Leaving revoked partition 1, which committed its processed offset too.
    const reader = fx.consumer({ groupId })
    expect((await reader.committed([{ topic, partition: 1 }])).get(`${topic}-1`)?.offset).toBe(1n)
    expect(events).toEqual(['assigned 0,1', 'revoked 0', 'revoked 1'])
  })

  it('a poll that began before the assignment fetches as soon as partitions are assigned, not at its timeout', async () => {
    const topic = await fx.topic('subscribe-wake', 1)
    await fx.produce(topic, [{ partition: 0, value: 'a' }])
    const groupId = `g-${topic}`
    const membership = new FakeMembership({ groupId, generationId: -1, memberId: '', groupInstanceId: null })
    const client = new KafkaClient({ brokers: fx.cluster.bootstrapServers })
    fx.clients.push(client)
    const consumer = new Consumer(
      client,
      { groupId, autoOffsetReset: 'earliest', maxWaitMs: 50 },
      { createMembership: () => membership },
    )
    consumer.subscribe([topic])
    const started = performance.now()
    const polled = consumer.poll({ timeoutMs: 10_000 })
    // The assignment must arrive while the poll is already waiting, as after a group join.
    await waitFor('the poll to wait for data', () => (consumer.fetcher.waitingPolls > 0 ? true : undefined))
    await membership.assign([{ topic, partition: 0 }])
    const batches = await polled
    expect(batches.flatMap((b) => b.records.map((r) => r.value?.toString()))).toEqual(['a'])
    // Before the fix the poll slept out its whole 10 s timeout and returned nothing.
    expect(performance.now() - started).toBeLessThan(5_000)
    await consumer.close()
  })
})
