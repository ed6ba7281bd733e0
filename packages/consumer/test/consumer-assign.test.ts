import { InvalidMessageError } from '@kafkit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/integration/support/wait-for.js'
import { NoOffsetForPartitionError } from '../src/index.js'
import { type ConsumerFixture, pollValues, startConsumerFixture } from './consumer-support.js'

let fx: ConsumerFixture
beforeAll(async () => {
  fx = await startConsumerFixture()
})
afterAll(() => fx?.stop())

describe('Consumer in assign mode', () => {
  it('reads every record back in order across batches and partitions', async () => {
    const topic = await fx.topic('assign-order', 3)
    const records = Array.from({ length: 600 }, (_, i) => ({ partition: i % 3, value: `v${i}` }))
    for (let i = 0; i < records.length; i += 100) await fx.produce(topic, records.slice(i, i + 100))
    const consumer = fx.consumer({ autoOffsetReset: 'earliest', maxPollRecords: 37 })
    consumer.assign([0, 1, 2].map((partition) => ({ topic, partition })))
    const values = await pollValues(consumer, 600)
    expect(values).toHaveLength(600)
    for (const partition of [0, 1, 2]) {
      const expected = records.filter((r) => r.partition === partition).map((r) => `${partition}:${r.value}`)
      expect(values.filter((v) => v.startsWith(`${partition}:`))).toEqual(expected)
    }
    expect(await consumer.position({ topic, partition: 0 })).toBe(200n)
    await consumer.close()
  })

  it('uses a fetch session: a full Fetch first, then incremental ones', async () => {
    const topic = await fx.topic('assign-session', 2)
    const seen: { sessionId: number; sessionEpoch: number; partitions: number }[] = []
    const remove = fx.cluster.control.intercept('Fetch', {}, (request) => {
      if (request.replicaId === -1) {
        seen.push({
          sessionId: request.sessionId,
          sessionEpoch: request.sessionEpoch,
          partitions: request.topics.reduce((n, t) => n + t.partitions.length, 0),
        })
      }
    })
    try {
      const consumer = fx.consumer({ autoOffsetReset: 'earliest' })
      consumer.assign([
        { topic, partition: 0 },
        { topic, partition: 1 },
      ])
      await fx.produce(topic, [
        { partition: 0, value: 'a' },
        { partition: 1, value: 'b' },
      ])
      expect(await pollValues(consumer, 2)).toHaveLength(2)
      await fx.produce(topic, [{ partition: 0, value: 'c' }])
      expect(await pollValues(consumer, 1)).toEqual(['0:c'])
      // Idle fetches follow while the consumer waits: the session carries both partitions, so they list none.
      await waitFor(
        'an incremental fetch without partitions',
        () => (seen.some((r) => r.partitions === 0) ? true : undefined),
        {
          timeoutMs: 10_000,
          intervalMs: 20,
        },
      )
      expect(seen[0]).toMatchObject({ sessionId: 0, sessionEpoch: 0, partitions: 2 })
      const later = seen.slice(1)
      expect(later.every((r) => r.sessionId === later[0]!.sessionId && r.sessionId !== 0)).toBe(true)
      expect(later.map((r) => r.sessionEpoch)).toEqual(later.map((_, i) => i + 1))
      const broker = fx.client.cluster.metadata.partition(topic, 0)!.leader
      expect(consumer.fetcher.session(broker)!.fullRequests).toBe(1)
    } finally {
      remove()
    }
  })

  it('autoOffsetReset latest starts at the end, earliest at the beginning, none fails typed', async () => {
    const topic = await fx.topic('assign-reset', 1)
    await fx.produce(topic, [{ partition: 0, value: 'old' }])
    const latest = fx.consumer({ autoOffsetReset: 'latest' })
    latest.assign([{ topic, partition: 0 }])
    expect(await latest.position({ topic, partition: 0 })).toBe(1n)
    await fx.produce(topic, [{ partition: 0, value: 'new' }])
    expect(await pollValues(latest, 1)).toEqual(['0:new'])

    const earliest = fx.consumer({ autoOffsetReset: 'earliest' })
    earliest.assign([{ topic, partition: 0 }])
    expect(await pollValues(earliest, 2)).toEqual(['0:old', '0:new'])

    const none = fx.consumer({ autoOffsetReset: 'none', groupId: `g-${topic}` })
    none.assign([{ topic, partition: 0 }])
    await expect(none.poll({ timeoutMs: 100 })).rejects.toBeInstanceOf(NoOffsetForPartitionError)
    none.seek({ topic, partition: 0 }, 1n)
    expect(await pollValues(none, 1)).toEqual(['0:new'])
    await Promise.all([latest.close(), earliest.close(), none.close()])
  })

  it('rejects invalid options and calls, naming what to change', () => {
    expect(() => fx.consumer({ maxWaitMs: -1 })).toThrow(/maxWaitMs must be an integer >= 0/)
    expect(() => fx.consumer({ autoOffsetReset: 'smallest' as 'earliest' })).toThrow(/autoOffsetReset must be one of/)
    expect(() => fx.consumer({ isolationLevel: 'committed' as 'read_committed' })).toThrow(/isolationLevel/)
    expect(() => fx.consumer({ heartbeatIntervalMs: 50_000 })).toThrow(/heartbeatIntervalMs/)
    const consumer = fx.consumer()
    expect(() => consumer.subscribe(['t'])).toThrow(/needs a groupId/)
    expect(() => consumer.seek({ topic: 'nope', partition: 0 }, 0n)).toThrow(InvalidMessageError)
    expect(() => consumer.assign([{ topic: 't', partition: -1 }])).toThrow(/partition of t must be an integer >= 0/)
  })
})
