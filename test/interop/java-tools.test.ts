import { describe, expect, it } from 'vitest'
import { uniqueTopic } from '../integration/support/test-cluster.js'
import { waitFor } from '../integration/support/wait-for.js'
import { requireApis, storedBatches, useInteropCluster } from './support/interop-cluster.js'
import {
  consumerPerformance,
  kafkaToolsAvailability,
  parseConsumerGroupDescription,
  parseProducerPerformance,
  parseTopicDescription,
  producerPerformance,
  runKafkaToolChecked,
} from './support/kafka-tools.js'
import { watchLeaderRouting } from './support/traffic-log.js'

/**
 * Apache Kafka 4.1.1's own ProducerPerformance (acks=all, idempotence on) and
 * ConsumerPerformance (a consumer group), unchanged, against a three-broker
 * embedded cluster: every record written once, every record read back.
 */
const tools = await kafkaToolsAvailability()
if (tools.reason) console.warn(`skipped: ${tools.reason}`)
const { interop, skipReason } = tools.reason
  ? { interop: undefined, skipReason: tools.reason }
  : await useInteropCluster({ brokers: 3 })

const RECORDS = 200_000
const RECORD_BYTES = 100
const PARTITIONS = 6

describe.skipIf(skipReason !== undefined)(
  `Kafka 4.1.1's perf tools against a three-broker ${interop?.target} cluster`,
  () => {
    it(`ProducerPerformance writes ${RECORDS} idempotent records and ConsumerPerformance reads them all with a group`, async () => {
      requireApis(interop!, [
        'Produce',
        'InitProducerId',
        'Metadata',
        'FindCoordinator',
        'JoinGroup',
        'SyncGroup',
        'Heartbeat',
        'OffsetFetch',
        'OffsetCommit',
        'LeaveGroup',
        'ListOffsets',
        'Fetch',
      ])
      const { control, traffic, bootstrap } = interop!
      const topic = uniqueTopic('java-perf')
      await interop!.createTopic(topic, PARTITIONS)
      const routing = watchLeaderRouting(traffic, control)

      const producer = await producerPerformance(tools.dir!, {
        bootstrap,
        topic,
        records: RECORDS,
        recordBytes: RECORD_BYTES,
        props: ['acks=all', 'enable.idempotence=true', 'client.id=interop-producer-performance'],
      })
      console.info(
        `ProducerPerformance: ${producer.records} records, ${producer.recordsPerSec} records/s, ${producer.mbPerSec} MB/s, ` +
          `${producer.avgLatencyMs} ms avg latency`,
      )
      expect(producer.records).toBe(RECORDS)

      if (control) {
        const partitions = control.state.topics.get(topic)!.partitions
        expect(partitions.reduce((sum, p) => sum + Number(p.log.logEndOffset), 0)).toBe(RECORDS)
        const batches = storedBatches(control, topic)
        // Idempotent: one producer id on every batch, and sequences without gaps or repeats.
        expect(new Set(batches.map((b) => b.header.producerId)).size).toBe(1)
        expect(batches.every((b) => b.header.producerId >= 0n)).toBe(true)
        for (const partition of partitions) {
          let next = 0
          for (const { header } of batches.filter((b) => b.partition === partition.partition)) {
            expect(header.baseSequence).toBe(next)
            next += header.recordCount
          }
          expect(next).toBe(Number(partition.log.logEndOffset))
        }
      }

      const consumer = await consumerPerformance(tools.dir!, { bootstrap, topic, records: RECORDS })
      console.info(
        `ConsumerPerformance: ${consumer['data.consumed.in.nMsg']} records, ${consumer['nMsg.sec']} records/s, ` +
          `${consumer['MB.sec']} MB/s, rebalance ${consumer['rebalance.time.ms']} ms`,
      )
      expect(Number(consumer['data.consumed.in.nMsg'])).toBe(RECORDS)
      expect(Number(consumer['data.consumed.in.MB'])).toBeCloseTo((RECORDS * RECORD_BYTES) / (1024 * 1024), 2)
      expect(routing()).toEqual([])

      // Kafka's consumer-groups tool (the Java admin client) sees the group caught up on every partition.
      const described = await runKafkaToolChecked(tools.dir!, 'consumer.group.ConsumerGroupCommand', [
        '--bootstrap-server',
        bootstrap,
        '--describe',
        '--group',
        `group-${topic}`,
      ])
      const rows = parseConsumerGroupDescription(described).filter((row) => row.TOPIC === topic)
      expect(rows.map((row) => Number(row.PARTITION)).sort()).toEqual(Array.from({ length: PARTITIONS }, (_, p) => p))
      expect(rows.filter((row) => row['CURRENT-OFFSET'] !== row['LOG-END-OFFSET'] || row.LAG !== '0')).toEqual([])
      expect(rows.reduce((sum, row) => sum + Number(row['LOG-END-OFFSET']), 0)).toBe(RECORDS)
    })

    it.for(['gzip', 'snappy', 'lz4', 'zstd'] as const)(
      'ProducerPerformance with compression.type=%s, read back by ConsumerPerformance',
      async (codec) => {
        requireApis(interop!, [
          'Produce',
          'Metadata',
          'FindCoordinator',
          'JoinGroup',
          'SyncGroup',
          'ListOffsets',
          'Fetch',
        ])
        const { control, bootstrap } = interop!
        const topic = uniqueTopic(`java-perf-${codec}`)
        await interop!.createTopic(topic, 3)
        const records = 20_000
        const produced = await producerPerformance(tools.dir!, {
          bootstrap,
          topic,
          records,
          recordBytes: RECORD_BYTES,
          props: [`compression.type=${codec}`],
        })
        expect(produced.records).toBe(records)
        if (control) {
          const ids = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 }
          expect(new Set(storedBatches(control, topic).map((b) => b.header.compression))).toEqual(new Set([ids[codec]]))
        }
        const consumed = await consumerPerformance(tools.dir!, { bootstrap, topic, records })
        expect(Number(consumed['data.consumed.in.nMsg'])).toBe(records)
      },
    )

    it('TopicCommand creates and describes a topic, ConfigCommand alters its configs, GetOffsetShell reads its ends', async () => {
      requireApis(interop!, [
        'CreateTopics',
        'DescribeTopicPartitions',
        'DescribeConfigs',
        'IncrementalAlterConfigs',
        'ListOffsets',
        'DeleteTopics',
      ])
      const { control, bootstrap } = interop!
      const topic = uniqueTopic('java-admin')
      const server = ['--bootstrap-server', bootstrap]
      const created = await runKafkaToolChecked(tools.dir!, 'TopicCommand', [
        ...server,
        '--create',
        '--topic',
        topic,
        '--partitions',
        '4',
        '--replication-factor',
        '3',
        '--config',
        'retention.ms=3600000',
      ])
      expect(created).toContain(`Created topic ${topic}.`)

      const described = parseTopicDescription(
        await runKafkaToolChecked(tools.dir!, 'TopicCommand', [...server, '--describe', '--topic', topic]),
      )
      expect(described.partitionCount).toBe(4)
      expect(described.partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3])
      expect(described.partitions.every((p) => p.replicas.length === 3 && p.isr.length === 3)).toBe(true)
      expect(new Set(described.partitions.map((p) => p.leader))).toEqual(new Set([1, 2, 3]))
      if (control) {
        const state = control.state.topics.get(topic)!
        expect(described.partitions.map((p) => [p.leader, p.replicas])).toEqual(
          state.partitions.map((p) => [p.leader, p.replicas]),
        )
      }

      const topicConfig = ['--entity-type', 'topics', '--entity-name', topic]
      await runKafkaToolChecked(tools.dir!, 'kafka.admin.ConfigCommand', [
        ...server,
        ...topicConfig,
        '--alter',
        '--add-config',
        'retention.ms=7200000,max.message.bytes=2000000',
      ])
      const configs = await runKafkaToolChecked(tools.dir!, 'kafka.admin.ConfigCommand', [
        ...server,
        ...topicConfig,
        '--describe',
      ])
      expect(configs).toMatch(/^\s*retention\.ms=7200000 /m)
      expect(configs).toMatch(/^\s*max\.message\.bytes=2000000 /m)

      const produced = await runKafkaToolChecked(tools.dir!, 'ProducerPerformance', [
        '--topic',
        topic,
        '--num-records',
        '1000',
        '--record-size',
        String(RECORD_BYTES),
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${bootstrap}`,
      ])
      expect(parseProducerPerformance(produced).records).toBe(1000)
      const ends = await runKafkaToolChecked(tools.dir!, 'GetOffsetShell', [...server, '--topic', topic])
      const lines = ends.split('\n').filter((line) => line.startsWith(`${topic}:`))
      expect(lines).toHaveLength(4)
      expect(lines.reduce((sum, line) => sum + Number(line.split(':')[2]), 0)).toBe(1000)

      await runKafkaToolChecked(tools.dir!, 'TopicCommand', [...server, '--delete', '--topic', topic])
      await waitFor('the topic is gone', async () => {
        const listed = await runKafkaToolChecked(tools.dir!, 'TopicCommand', [...server, '--list'])
        return listed.split('\n').includes(topic) ? undefined : true
      })
    })
  },
)
