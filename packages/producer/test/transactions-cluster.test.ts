import { describe, expect, it } from 'vitest'
import { readValues } from '../../../test/integration/support/transactions.js'
import { Producer } from '../src/index.js'
import { createTopic, freshTopic, useEmbedded } from './support/embedded.js'

/**
 * A transaction over partitions led by three brokers, none of them
 * necessarily the transaction coordinator, with a leader moved in the middle:
 * the retried batch stays in the transaction and commits with it.
 */
const fixture = useEmbedded(3)

describe('a transaction across a three-broker cluster', () => {
  it('commits records on every leader, including after a leader moved mid-transaction', async () => {
    const topic = freshTopic('spread')
    await createTopic(fixture.client, topic, 3)
    const producer = new Producer(fixture.client, {
      transactionalId: `spread-${topic}`,
      lingerMs: 0,
      retryBackoffMs: 10,
    })
    await producer.initTransactions()
    producer.beginTransaction()
    await Promise.all([0, 1, 2].map((p) => producer.send({ topic, partition: p, value: Buffer.from(`first-${p}`) })))
    const leader = fixture.client.cluster.metadata.partition(topic, 1)!.leader
    await fixture.kafka.control.moveLeader(topic, 1, (leader % 3) + 1)
    await Promise.all([0, 1, 2].map((p) => producer.send({ topic, partition: p, value: Buffer.from(`second-${p}`) })))
    await producer.commitTransaction()
    await producer.close()
    for (const p of [0, 1, 2]) {
      expect(await readValues(fixture.client, topic, p, 'read_committed')).toEqual([`first-${p}`, `second-${p}`])
    }
  })
})
