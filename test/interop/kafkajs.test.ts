import { CompressionType, readBatchHeader } from '@kafkit/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { uniqueTopic } from '../integration/support/test-cluster.js'
import { waitFor } from '../integration/support/wait-for.js'
import { requireApis, storedBatches, useInteropCluster } from './support/interop-cluster.js'
import {
  fromKafkajsMessage,
  type KafkajsCompression,
  KafkajsHarness,
  kafkajsConsume,
  kafkajsProduce,
} from './support/kafkajs-client.js'
import { countByPartition, makeRecords, offsetGaps, type ReceivedRecord, recordProblems } from './support/records.js'
import { watchLeaderRouting } from './support/traffic-log.js'

/**
 * kafkajs 2.2.4, unchanged, against a three-broker embedded cluster: what it
 * produces (every compression, keys, headers, timestamps, idempotence) a
 * kafkajs consumer group reads back intact and in order, each request sent to
 * the partition's leader.
 */
const { interop, skipReason } = await useInteropCluster({ brokers: 3 })

const PRODUCE_APIS = ['Produce', 'Metadata'] as const
const CONSUME_APIS = [
  'FindCoordinator',
  'JoinGroup',
  'SyncGroup',
  'Heartbeat',
  'OffsetFetch',
  'OffsetCommit',
  'LeaveGroup',
  'ListOffsets',
  'Fetch',
] as const

const harnesses: KafkajsHarness[] = []
function kafkajs(): KafkajsHarness {
  const harness = new KafkajsHarness(interop!.cluster.bootstrapServers)
  harnesses.push(harness)
  return harness
}

afterEach(async (context) => {
  for (const harness of harnesses.splice(0)) {
    await harness.close()
    if (context.task.result?.state === 'fail') console.warn(`kafkajs log:\n${harness.logs.slice(-200).join('\n')}`)
  }
})

const CODECS: { codec: KafkajsCompression; id: CompressionType }[] = [
  { codec: 'none', id: CompressionType.None },
  { codec: 'gzip', id: CompressionType.Gzip },
  { codec: 'snappy', id: CompressionType.Snappy },
  { codec: 'lz4', id: CompressionType.Lz4 },
  { codec: 'zstd', id: CompressionType.Zstd },
]

describe.skipIf(skipReason !== undefined)(`kafkajs 2.2.4 against a three-broker ${interop?.target} cluster`, () => {
  it('sees the three brokers and every partition leader in the metadata', async () => {
    const { cluster, control } = interop!
    const topic = uniqueTopic('kafkajs-metadata')
    await interop!.createTopic(topic, 6)
    const admin = kafkajs().admin()
    await admin.connect()
    const described = await admin.describeCluster()
    expect(described.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...cluster.bootstrapServers].sort())
    expect(described.brokers.map((b) => b.nodeId)).toContain(described.controller)
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics
    const leaders = metadata!.partitions.map((p) => p.leader)
    expect(new Set(leaders).size).toBe(3)
    if (control) {
      const state = control.state.topics.get(topic)!
      expect(metadata!.partitions.map((p) => [p.partitionId, p.leader, p.replicas.length])).toEqual(
        state.partitions.map((p) => [p.partition, p.leader, 3]),
      )
    }
  })

  it.for(CODECS)(
    'produces $codec batches with keys, headers and timestamps that a consumer group reads back intact',
    async ({ codec, id }) => {
      requireApis(interop!, [...PRODUCE_APIS, ...CONSUME_APIS])
      const { control, traffic } = interop!
      const topic = uniqueTopic(`kafkajs-${codec}`)
      await interop!.createTopic(topic, 4)
      const records = makeRecords({ tag: topic, count: 600, partitions: 4 })
      const routing = watchLeaderRouting(traffic, control)

      const client = kafkajs()
      const producer = client.producer()
      await producer.connect()
      await kafkajsProduce(producer, topic, records, { compression: codec, perSend: 100 })
      await producer.disconnect()

      if (control) {
        const batches = storedBatches(control, topic)
        expect(batches.length).toBeGreaterThanOrEqual(4)
        // The broker keeps what the producer sent: the batches stay compressed with its codec.
        expect(new Set(batches.map((b) => b.header.compression))).toEqual(new Set([id]))
        expect(traffic.requests('Produce').length).toBeGreaterThan(0)
      }

      const groupId = `group-${topic}`
      const received = await kafkajsConsume(client.consumer(groupId), topic, records.length)
      expect(recordProblems(records, received, { tag: topic })).toEqual([])
      expect(offsetGaps(received)).toEqual([])
      const perPartition = countByPartition(received)
      expect(perPartition.size).toBe(4)
      expect(routing()).toEqual([])

      // The group committed where it stopped, and the log ends where the records do.
      const admin = client.admin()
      await admin.connect()
      const ends = await admin.fetchTopicOffsets(topic)
      expect(ends.map((p) => [p.partition, Number(p.high)]).sort()).toEqual(
        [...perPartition].map(([p, n]) => [p, n]).sort(),
      )
      await client.close()
      const committed = await committedOffsets(groupId, topic)
      expect(committed).toEqual(new Map([...perPartition].map(([p, n]) => [p, n])))
    },
  )

  it('an idempotent producer gets a producer id and writes every record once, across a NOT_LEADER retry', async () => {
    requireApis(interop!, [...PRODUCE_APIS, 'InitProducerId', ...CONSUME_APIS])
    const { control, traffic } = interop!
    const topic = uniqueTopic('kafkajs-idempotent')
    await interop!.createTopic(topic, 3)
    const records = makeRecords({ tag: topic, count: 450, partitions: 3, partitioning: 'explicit' })
    const client = kafkajs()
    const producer = client.producer({ idempotent: true })
    await producer.connect()
    // The first Produce is refused as a stale leader would; kafkajs refreshes metadata and sends the same batch again.
    let refused = 0
    const remove = control?.intercept('Produce', { once: true }, () => {
      refused++
      return { errorCode: 'NOT_LEADER_OR_FOLLOWER' }
    })
    await kafkajsProduce(producer, topic, records, { compression: 'gzip', perSend: 50, explicitPartition: true })
    await producer.disconnect()
    remove?.()

    if (control) {
      expect(refused).toBe(1)
      expect(traffic.requests('InitProducerId').length).toBeGreaterThanOrEqual(1)
      const batches = storedBatches(control, topic)
      const producerIds = new Set(batches.map((b) => b.header.producerId))
      expect(producerIds.size).toBe(1)
      expect([...producerIds][0]).toBeGreaterThanOrEqual(0n)
      // Sequences run on without a gap or a repeat in every partition: nothing was written twice.
      for (let partition = 0; partition < 3; partition++) {
        let next = 0
        for (const { header } of batches.filter((b) => b.partition === partition)) {
          expect(header.baseSequence, `partition ${partition}`).toBe(next)
          next += header.recordCount
        }
        expect(next).toBe(150)
      }
    }

    const received = await kafkajsConsume(client.consumer(`group-${topic}`), topic, records.length)
    expect(recordProblems(records, received, { tag: topic })).toEqual([])
    expect(offsetGaps(received)).toEqual([])
  })

  it('an idempotent producer resends a batch whose response was lost, and the broker keeps one copy', async ({
    skip,
  }) => {
    const { control } = interop!
    if (!control) return skip('losing a response needs the embedded control API')
    requireApis(interop!, [...PRODUCE_APIS, 'InitProducerId', ...CONSUME_APIS])
    const topic = uniqueTopic('kafkajs-lost-response')
    await interop!.createTopic(topic, 1)
    const records = makeRecords({ tag: topic, count: 100, partitions: 1, partitioning: 'explicit' })
    const client = kafkajs()
    const producer = client.producer({ idempotent: true })
    await producer.connect()
    await kafkajsProduce(producer, topic, records.slice(0, 50), { explicitPartition: true, perSend: 25 })
    // The broker appends the next batch, then the connection drops before the answer: kafkajs must resend it.
    let appended = 0
    const sequencesSent: number[] = []
    const stopWatching = interop!.traffic.watch('Produce', (request) => {
      for (const t of request.topicData)
        for (const p of t.partitionData) if (p.records) sequencesSent.push(readBatchHeader(p.records).baseSequence)
    })
    control.intercept('Produce', { once: true }, async (request, context) => {
      await context.handlers.get('Produce')!.handle(request as never, context)
      appended++
      return { drop: true }
    })
    await kafkajsProduce(producer, topic, records.slice(50), { explicitPartition: true, perSend: 25 })
    stopWatching()
    expect(appended).toBe(1)
    // Sequence 50 went twice: once appended without an answer, once answered as the duplicate it was.
    expect(sequencesSent).toEqual([50, 50, 75])
    const batches = storedBatches(control, topic)
    expect(batches.map((b) => [b.header.baseSequence, b.header.recordCount])).toEqual([
      [0, 25],
      [25, 25],
      [50, 25],
      [75, 25],
    ])
    const received = await kafkajsConsume(client.consumer(`group-${topic}`), topic, records.length)
    expect(recordProblems(records, received, { tag: topic })).toEqual([])
  })

  it('follows leaders that move while it produces, and the consumer reads every record once', async ({ skip }) => {
    const { control, traffic } = interop!
    if (!control) return skip('moving a leader needs the embedded control API')
    requireApis(interop!, [...PRODUCE_APIS, ...CONSUME_APIS])
    const topic = uniqueTopic('kafkajs-moved')
    await interop!.createTopic(topic, 3)
    const records = makeRecords({ tag: topic, count: 300, partitions: 3, partitioning: 'explicit' })
    const client = kafkajs()
    const producer = client.producer()
    await producer.connect()
    await kafkajsProduce(producer, topic, records.slice(0, 150), { explicitPartition: true, perSend: 30 })
    // Every partition moves to the next broker: the old leader answers NOT_LEADER_OR_FOLLOWER from now on.
    const before = control.state.topics.get(topic)!.partitions.map((p) => p.leader)
    for (const [partition, leader] of before.entries()) control.moveLeader(topic, partition, (leader % 3) + 1)
    const routing = watchLeaderRouting(traffic, control)
    await kafkajsProduce(producer, topic, records.slice(150), { explicitPartition: true, perSend: 30 })
    const afterMove = control.state.topics.get(topic)!.partitions.map((p) => p.leader)
    expect(afterMove).toEqual(before.map((leader) => (leader % 3) + 1))
    const misrouted = routing()
    // kafkajs learns of the move from the refusal: at most one misrouted request per partition is expected.
    expect(misrouted.length).toBeLessThanOrEqual(3)
    const received = await kafkajsConsume(client.consumer(`group-${topic}`), topic, records.length)
    expect(recordProblems(records, received, { tag: topic })).toEqual([])
    expect(offsetGaps(received)).toEqual([])
  })

  it('produces and consumes over SASL_SSL with SCRAM-SHA-512', async ({ skip }) => {
    const listener = interop!.cluster.listeners.SASL_SSL
    if (!listener?.tls || !listener.sasl) return skip(`the ${interop!.target} cluster has no SASL_SSL listener`)
    requireApis(interop!, [...PRODUCE_APIS, ...CONSUME_APIS, 'SaslHandshake', 'SaslAuthenticate'])
    const topic = uniqueTopic('kafkajs-sasl-ssl')
    await interop!.createTopic(topic, 3)
    const user = listener.sasl.users[0]!
    const client = new KafkajsHarness(listener.bootstrapServers, {
      ssl: { ca: [listener.tls.caPem] },
      sasl: { mechanism: 'scram-sha-512', username: user.username, password: user.password },
    })
    harnesses.push(client)
    const records = makeRecords({ tag: topic, count: 150, partitions: 3 })
    const producer = client.producer()
    await producer.connect()
    await kafkajsProduce(producer, topic, records, { compression: 'zstd' })
    const received = await kafkajsConsume(client.consumer(`group-${topic}`), topic, records.length)
    expect(recordProblems(records, received, { tag: topic })).toEqual([])
  })

  it('refuses a batch larger than max.message.bytes with MESSAGE_TOO_LARGE, and keeps the log unchanged', async () => {
    requireApis(interop!, [...PRODUCE_APIS, 'ListOffsets'])
    const topic = uniqueTopic('kafkajs-too-large')
    await interop!.createTopic(topic, 1)
    const client = kafkajs()
    const producer = client.producer()
    await producer.connect()
    // max.message.bytes defaults to 1048588; one 1.1 MB record makes a batch above it.
    const error = await producer.send({ topic, messages: [{ value: Buffer.alloc(1_100_000, 0x61) }] }).then(
      () => undefined,
      (caught: unknown) => caught as { type?: string; name?: string },
    )
    expect(error?.type ?? error?.name).toBe('MESSAGE_TOO_LARGE')
    await producer.send({ topic, messages: [{ value: Buffer.from('small') }] })
    const admin = client.admin()
    await admin.connect()
    expect((await admin.fetchTopicOffsets(topic)).map((p) => [p.low, p.high])).toEqual([['0', '1']])
  })

  it('produces to a topic that does not exist yet: the metadata request creates it', async () => {
    requireApis(interop!, [...PRODUCE_APIS, ...CONSUME_APIS])
    const topic = uniqueTopic('kafkajs-auto-created')
    const client = kafkajs()
    const producer = client.producer()
    await producer.connect()
    const records = makeRecords({ tag: topic, count: 20, partitions: 1 })
    await kafkajsProduce(producer, topic, records)
    const received = await kafkajsConsume(client.consumer(`group-${topic}`), topic, records.length)
    expect(recordProblems(records, received, { tag: topic })).toEqual([])
  })

  it('two consumers of one group split the partitions and read every record once', async () => {
    requireApis(interop!, [...PRODUCE_APIS, ...CONSUME_APIS])
    const topic = uniqueTopic('kafkajs-group')
    await interop!.createTopic(topic, 6)
    const client = kafkajs()
    const groupId = `group-${topic}`
    const members = [client.consumer(groupId), client.consumer(groupId)]
    const assigned = members.map(() => ({ partitions: [] as number[] }))
    const received = members.map(() => [] as ReceivedRecord[])
    for (const [i, consumer] of members.entries()) {
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        assigned[i] = { partitions: payload.memberAssignment[topic] ?? [] }
      })
      await consumer.connect()
      await consumer.subscribe({ topic, fromBeginning: true })
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          received[i]!.push(fromKafkajsMessage(partition, message))
        },
      })
    }
    // Produce only once both members hold their share, so no rebalance can hand a record out twice.
    await waitFor('both members hold a share of the partitions', () => {
      const [a, b] = assigned
      const union = new Set([...a!.partitions, ...b!.partitions])
      return a!.partitions.length > 0 &&
        b!.partitions.length > 0 &&
        union.size === 6 &&
        a!.partitions.length + b!.partitions.length === 6
        ? true
        : undefined
    })
    const [first, second] = assigned
    expect([...first!.partitions, ...second!.partitions].sort()).toEqual([0, 1, 2, 3, 4, 5])
    expect(first!.partitions.length).toBe(3)

    const records = makeRecords({ tag: topic, count: 600, partitions: 6, partitioning: 'explicit' })
    const producer = client.producer()
    await producer.connect()
    await kafkajsProduce(producer, topic, records, { explicitPartition: true })
    await waitFor('every record is consumed', () =>
      received[0]!.length + received[1]!.length >= records.length ? true : undefined,
    )
    await Promise.all(members.map((member) => member.stop()))
    for (const [i, member] of assigned.entries())
      expect(new Set(received[i]!.map((r) => r.partition))).toEqual(new Set(member.partitions))
    expect(recordProblems(records, [...received[0]!, ...received[1]!], { tag: topic })).toEqual([])
  })
})

/** The group's committed offsets, read by a fresh kafkajs admin (OffsetFetch). */
async function committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
  const client = kafkajs()
  const admin = client.admin()
  await admin.connect()
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
  return new Map(offsets!.partitions.map((p) => [p.partition, Number(p.offset)]))
}
