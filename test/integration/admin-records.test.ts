import { InvalidMessageError, OffsetOutOfRangeError, UnknownTopicOrPartitionError } from '@kafkit/protocol'
import { type Admin, Kafka, type KafkitProducer } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partialFailure } from './support/partial-failure.js'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'

/**
 * Records and offsets through the admin client, against every broker target:
 * listOffsets (earliest, latest, max timestamp, by timestamp, isolation
 * level), kafkajs's fetchTopicOffsets / fetchTopicOffsetsByTimestamp, and
 * deleteRecords.
 */
const { cluster, skipReason } = await useTestCluster()

const BASE = 1_700_000_000_000

describe.skipIf(skipReason !== undefined)(`admin records and offsets against the ${cluster?.target} target`, () => {
  let kafka: Kafka
  let admin: Admin
  let producer: KafkitProducer
  beforeAll(async () => {
    kafka = new Kafka({ clientId: 'admin-records', brokers: cluster!.bootstrapServers })
    admin = kafka.admin()
    await admin.connect()
    producer = kafka.producer({ lingerMs: 0 })
    await producer.connect()
  })
  afterAll(async () => {
    await producer?.disconnect()
    await admin?.disconnect()
  })

  /** A topic whose partition 0 holds records with timestamps BASE+0, +10, +50 (the highest), +20, +30; partition 1 is empty. */
  async function topicWithRecords(prefix: string): Promise<string> {
    const topic = uniqueTopic(prefix)
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })
    const offsets = [0, 10, 50, 20, 30]
    await producer.send({
      topic,
      messages: offsets.map((delta, i) => ({ value: `v${i}`, partition: 0, timestamp: BASE + delta })),
    })
    return topic
  }

  it('lists the earliest, latest and max-timestamp offsets, and offsets by timestamp', async () => {
    const topic = await topicWithRecords('list-offsets')
    const at = (spec: Parameters<Admin['listOffsets']>[0]['partitions'][number]['spec'], partition = 0) =>
      admin.listOffsets({ partitions: [{ topic, partition, spec }] }).then((listed) => listed[0]!)
    expect(await at('earliest')).toMatchObject({ topic, partition: 0, offset: 0n })
    expect(await at('latest')).toMatchObject({ topic, partition: 0, offset: 5n })
    expect(await at('max-timestamp')).toMatchObject({ offset: 2n, timestamp: BigInt(BASE + 50) })
    // The first record at or after the timestamp, in offset order.
    expect(await at({ timestamp: BASE + 15 })).toMatchObject({ offset: 2n, timestamp: BigInt(BASE + 50) })
    expect(await at({ timestamp: BigInt(BASE) })).toMatchObject({ offset: 0n, timestamp: BigInt(BASE) })
    // No record that recent: Kafka answers offset -1.
    expect(await at({ timestamp: BASE + 1000 })).toMatchObject({ offset: -1n, timestamp: -1n })
    expect(await at('latest', 1)).toMatchObject({ partition: 1, offset: 0n })

    const both = await admin.listOffsets({
      partitions: [
        { topic, partition: 0, spec: 'latest' },
        { topic, partition: 1, spec: 'earliest' },
      ],
    })
    expect(both.map((o) => [o.partition, o.offset])).toEqual([
      [0, 5n],
      [1, 0n],
    ])
    expect(both[0]!.leaderEpoch).toBeGreaterThanOrEqual(0)
  })

  it('with read_committed lists the last stable offset, below an open transaction', async () => {
    const topic = await topicWithRecords('isolation')
    const transactional = kafka.producer({ transactionalId: uniqueTopic('admin-txn'), lingerMs: 0 })
    await transactional.connect()
    try {
      const txn = await transactional.transaction()
      await txn.send({ topic, messages: [{ value: 'open', partition: 0 }] })
      const latest = (isolationLevel: 'read_committed' | 'read_uncommitted') =>
        admin
          .listOffsets({ partitions: [{ topic, partition: 0, spec: 'latest' }], isolationLevel })
          .then((listed) => listed[0]!.offset)
      expect(await latest('read_uncommitted')).toBe(6n)
      expect(await latest('read_committed')).toBe(5n)
      expect((await admin.fetchTopicOffsets(topic, { isolationLevel: 'read_committed' }))[0]!.high).toBe(5n)
      await txn.abort()
    } finally {
      await transactional.disconnect()
    }
  })

  it('fetches the low and high offsets of every partition (kafkajs fetchTopicOffsets)', async () => {
    const topic = await topicWithRecords('topic-offsets')
    expect(await admin.fetchTopicOffsets(topic)).toEqual([
      { partition: 0, offset: 5n, high: 5n, low: 0n },
      { partition: 1, offset: 0n, high: 0n, low: 0n },
    ])
    await expect(admin.fetchTopicOffsets(uniqueTopic('no-such-topic'))).rejects.toBeInstanceOf(
      UnknownTopicOrPartitionError,
    )
  })

  it('fetches offsets by timestamp, the log end where no record is that recent (kafkajs fetchTopicOffsetsByTimestamp)', async () => {
    const topic = await topicWithRecords('by-timestamp')
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, BASE + 15)).toEqual([
      { partition: 0, offset: 2n },
      { partition: 1, offset: 0n },
    ])
    expect(await admin.fetchTopicOffsetsByTimestamp(topic, BASE + 1000)).toEqual([
      { partition: 0, offset: 5n },
      { partition: 1, offset: 0n },
    ])
    expect(await admin.fetchTopicOffsetsByTimestamp(topic)).toEqual([
      { partition: 0, offset: 5n },
      { partition: 1, offset: 0n },
    ])
  })

  it('deletes records before an offset, and all of them with -1n', async () => {
    const topic = await topicWithRecords('delete-records')
    expect(await admin.deleteRecords({ partitions: [{ topic, partition: 0, offset: 2n }] })).toEqual([
      { topic, partition: 0, lowWatermark: 2n },
    ])
    expect((await admin.listOffsets({ partitions: [{ topic, partition: 0, spec: 'earliest' }] }))[0]!.offset).toBe(2n)
    expect((await admin.fetchTopicOffsets(topic))[0]).toEqual({ partition: 0, offset: 5n, high: 5n, low: 2n })

    expect(await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: -1n }] })).toEqual([
      { topic, partition: 0, lowWatermark: 5n },
    ])
    expect((await admin.fetchTopicOffsets(topic))[0]).toMatchObject({ low: 5n, high: 5n })
  })

  it('fails a deletion past the high watermark with OffsetOutOfRangeError and one of a missing topic at once', async () => {
    const topic = await topicWithRecords('delete-too-far')
    const missing = uniqueTopic('delete-missing')
    const started = performance.now()
    const failure = await partialFailure(
      admin.deleteRecords({
        partitions: [
          { topic, partition: 0, offset: 99n },
          { topic, partition: 1, offset: 0n },
          { topic: missing, partition: 0, offset: 1n },
          { topic, partition: 7, offset: 1n },
        ],
      }),
    )
    // A missing topic or partition is final, not retried until the call's deadline.
    expect(performance.now() - started).toBeLessThan(30_000)
    expect(failure.failures.map((f) => f.entry)).toEqual([`${topic}-0`, `${missing}-0`, `${topic}-7`])
    expect(failure.failures[0]!.error).toBeInstanceOf(OffsetOutOfRangeError)
    expect(failure.failures[1]!.error).toBeInstanceOf(UnknownTopicOrPartitionError)
    expect(failure.failures[2]!.error).toBeInstanceOf(UnknownTopicOrPartitionError)
    expect(failure.succeeded).toEqual([{ topic, partition: 1, lowWatermark: 0n }])
  })

  it('fails invalid arguments at the call', async () => {
    await expect(
      admin.listOffsets({ partitions: [{ topic: 't', partition: 0, spec: 'newest' as never }] }),
    ).rejects.toThrow(/earliest, max-timestamp|must be one of latest, earliest/)
    await expect(
      admin.listOffsets({
        partitions: [{ topic: 't', partition: 0, spec: 'latest' }],
        isolationLevel: 'committed' as never,
      }),
    ).rejects.toThrow(/read_committed/)
    await expect(admin.deleteRecords({ partitions: [{ topic: 't', partition: 0, offset: -2n }] })).rejects.toThrow(
      InvalidMessageError,
    )
    await expect(admin.deleteRecords({ partitions: [{ topic: 't', partition: -1, offset: 0n }] })).rejects.toThrow(
      /partition must be an integer >= 0/,
    )
  })
})
