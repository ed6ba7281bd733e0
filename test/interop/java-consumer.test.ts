import { describe, expect, it } from 'vitest'
import { uniqueTopic } from '../integration/support/test-cluster.js'
import {
  type ConsumeCheckRecord,
  type ConsumeCheckResult,
  isJavaFailure,
  javaConsumeCheck,
  javaReferenceAvailability,
} from '../reference/java-reference.js'
import { requireApis, storedBatches, useInteropCluster } from './support/interop-cluster.js'
import { type KafkajsCompression, KafkajsHarness, kafkajsProduce } from './support/kafkajs-client.js'
import { makeRecords, type TestRecord } from './support/records.js'
import { watchLeaderRouting } from './support/traffic-log.js'

/**
 * Kafka's Java consumer (kafka-clients 4.1.1, through test/reference's
 * consume-check) assigns partitions of a three-broker embedded cluster, seeks
 * to chosen offsets and finds every record kafkajs produced there, with each
 * compression, exactly as produced: offset, key, value, headers, timestamp.
 */
const availability = await javaReferenceAvailability()
const javaMissing = availability.available ? undefined : availability.reason
// As in test/reference: KAFKIT_REQUIRE_JAVA_REFERENCE=1 makes a missing Java reference a failure (CI with Java).
if (javaMissing && process.env.KAFKIT_REQUIRE_JAVA_REFERENCE === '1') throw new Error(javaMissing)
if (javaMissing) console.warn(`skipped: ${javaMissing}`)
const { interop, skipReason } = javaMissing
  ? { interop: undefined, skipReason: javaMissing }
  : await useInteropCluster({ brokers: 3 })

const PARTITIONS = 4
const COMPRESSIONS: KafkajsCompression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

/** The records with the offsets they got: each partition's log starts at 0 and holds only them, in send order. */
function withOffsets(records: readonly TestRecord[]): ConsumeCheckRecord[] {
  const next = new Map<number, bigint>()
  return records.map((record) => {
    const partition = record.partition!
    const offset = next.get(partition) ?? 0n
    next.set(partition, offset + 1n)
    return {
      partition,
      offset,
      key: record.key,
      value: record.value,
      headers: record.headers.map(([key, value]) => ({ key, value })),
      timestamp: record.timestamp,
    }
  })
}

describe.skipIf(skipReason !== undefined)(
  `the Java consumer 4.1.1 against a three-broker ${interop?.target} cluster`,
  () => {
    it('reads from sought offsets exactly what kafkajs produced, with every compression', async () => {
      requireApis(interop!, ['Produce', 'Metadata', 'ListOffsets', 'Fetch'])
      const { control, traffic, bootstrap } = interop!
      const topic = uniqueTopic('java-consume-check')
      await interop!.createTopic(topic, PARTITIONS)
      const records = makeRecords({ tag: topic, count: 1000, partitions: PARTITIONS, partitioning: 'explicit' })
      const harness = new KafkajsHarness(interop!.cluster.bootstrapServers)
      try {
        const producer = harness.producer()
        await producer.connect()
        // 200 records per codec: every partition holds batches of all five compressions. On the
        // embedded target every partition also changes leader after each codec, so the log spans
        // five leader epochs, and the consumer's fetches carry the current one (KIP-320 fencing).
        for (const [i, compression] of COMPRESSIONS.entries()) {
          const slice = records.slice(i * 200, (i + 1) * 200)
          await kafkajsProduce(producer, topic, slice, { compression, perSend: 50, explicitPartition: true })
          if (control && i < COMPRESSIONS.length - 1) {
            for (const partition of control.state.topics.get(topic)!.partitions)
              control.moveLeader(topic, partition.partition, (partition.leader % 3) + 1)
          }
        }
      } finally {
        await harness.close()
      }
      if (control) {
        const epochs = new Set(storedBatches(control, topic).map((b) => b.header.partitionLeaderEpoch))
        expect([...epochs].sort()).toEqual([0, 1, 2, 3, 4])
      }
      const expected = withOffsets(records)
      const perPartition = records.length / PARTITIONS
      // From the start, from inside the first batch, from a middle batch, from the last record.
      const starts = [0n, 7n, 113n, BigInt(perPartition - 1)]
      const routing = watchLeaderRouting(traffic, control)
      const leaderEpochs = new Set<number>()
      const stopWatching = traffic.watch('Fetch', (request) => {
        for (const t of request.topics) for (const p of t.partitions) leaderEpochs.add(p.currentLeaderEpoch)
      })
      const outcomes = await javaConsumeCheck([
        {
          bootstrap,
          topic,
          start: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: starts[partition]! })),
          records: expected,
        },
        {
          // Fetches far smaller than a batch: the broker must still hand out one whole batch at a time.
          // Partition 1 starts at its end, so it yields nothing.
          bootstrap,
          topic,
          start: [
            { partition: 0, offset: 0n },
            { partition: 1, offset: BigInt(perPartition) },
          ],
          records: expected,
          properties: { 'max.partition.fetch.bytes': '512', 'fetch.max.bytes': '1024' },
        },
        {
          // read_committed reads up to the last stable offset: without transactions, the high watermark.
          bootstrap,
          topic,
          start: [{ partition: 2, offset: 0n }],
          records: expected,
          properties: { 'isolation.level': 'read_committed' },
        },
      ])
      const [whole, smallFetches, readCommitted] = outcomes.map((outcome) => {
        if (isJavaFailure(outcome)) throw new Error(`consume-check failed: ${outcome.error}`)
        return outcome
      }) as [ConsumeCheckResult, ConsumeCheckResult, ConsumeCheckResult]
      expect(whole.problems).toEqual([])
      expect(whole.matched).toBe(starts.reduce((sum, start) => sum + perPartition - Number(start), 0))
      expect([...whole.endOffsets].sort()).toEqual(
        Array.from({ length: PARTITIONS }, (_, p) => [p, BigInt(perPartition)]),
      )
      expect([...whole.firstOffsets].sort()).toEqual(starts.map((start, p) => [p, start]))
      expect(smallFetches.problems).toEqual([])
      expect(smallFetches.matched).toBe(perPartition)
      expect(readCommitted.problems).toEqual([])
      expect(readCommitted.matched).toBe(perPartition)
      expect(routing()).toEqual([])
      stopWatching()
      // Every fetch named the leader epoch the metadata gave, which the leader checked.
      if (control) expect([...leaderEpochs]).toEqual([4])
    })
  },
)
