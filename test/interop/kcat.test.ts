import { CompressionType } from '@kafkit/protocol'
import type { ListenerEndpoint } from '@kafkit/testkit'
import { describe, expect, it } from 'vitest'
import {
  kcat,
  kcatLibrdkafkaVersion,
  kcatScramUnsupported,
  kcatSecurityArgs,
  kcatUnavailable,
} from '../integration/support/kcat.js'
import { uniqueTopic } from '../integration/support/test-cluster.js'
import { requireApis, storedBatches, useInteropCluster } from './support/interop-cluster.js'
import { makeRecords, offsetGaps, type ReceivedRecord, recordProblems, type TestRecord } from './support/records.js'
import { watchLeaderRouting } from './support/traffic-log.js'

/**
 * kcat (librdkafka), unchanged, against a three-broker embedded cluster:
 * produces with each compression, keys and headers, consumes every partition
 * back in order; its metadata listing shows every broker and leader; and the
 * same over SASL_SSL with SCRAM-SHA-512.
 */
const kcatMissing = kcatUnavailable()
if (kcatMissing) console.warn(`skipped: ${kcatMissing}`)
const { interop, skipReason } = kcatMissing
  ? { interop: undefined, skipReason: kcatMissing }
  : await useInteropCluster({ brokers: 3 })
const librdkafka = kcatMissing ? 'none' : kcatLibrdkafkaVersion().join('.')

const DATA_APIS = ['Metadata', 'Produce', 'ListOffsets', 'Fetch'] as const
/** Headers kcat puts on every record of a run (-H). */
const HEADERS: [string, Buffer][] = [
  ['source', Buffer.from('kcat')],
  ['trace-id', Buffer.from('t-42')],
]

/** What kcat -J prints per consumed record. */
interface KcatJsonRecord {
  partition: number
  offset: number
  tstype: string
  ts: number
  key: string | null
  payload: string | null
  headers?: string[]
}

/** Input lines for kcat -P -K '\t': a record without a key is a line without the delimiter. */
function producerInput(records: readonly TestRecord[]): string {
  return records.map((r) => (r.key ? `${r.key.toString()}\t${r.value.toString()}` : r.value.toString())).join('\n')
}

/** The records as kcat must carry them: its own headers on every one, librdkafka's create time. */
function asKcatRecords(records: readonly TestRecord[]): TestRecord[] {
  return records.map((r) => ({ ...r, headers: HEADERS }))
}

async function kcatProduceRecords(
  bootstrap: string,
  topic: string,
  records: readonly TestRecord[],
  args: readonly string[],
): Promise<void> {
  const headerArgs = HEADERS.flatMap(([key, value]) => ['-H', `${key}=${value.toString()}`])
  const result = await kcat(
    // murmur2_random is the Java client's partitioner, so keyed records land where the test expects.
    ['-b', bootstrap, '-t', topic, '-P', '-K', '\t', '-X', 'partitioner=murmur2_random', ...headerArgs, ...args],
    `${producerInput(records)}\n`,
  )
  if (result.code !== 0) throw new Error(`kcat produce failed (${result.code}): ${result.stderr}`)
}

async function kcatConsumeRecords(
  bootstrap: string,
  topic: string,
  args: readonly string[],
): Promise<ReceivedRecord[]> {
  const result = await kcat(['-b', bootstrap, '-t', topic, '-C', '-o', 'beginning', '-e', '-q', '-J', ...args])
  if (result.code !== 0) throw new Error(`kcat consume failed (${result.code}): ${result.stderr}`)
  return parseKcatJson(result.stdout)
}

/** kcat -J output, one JSON record per line, as received records. */
function parseKcatJson(stdout: string): ReceivedRecord[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const record = JSON.parse(line) as KcatJsonRecord
      const headers: [string, Buffer][] = []
      for (let i = 0; i + 1 < (record.headers?.length ?? 0); i += 2)
        headers.push([record.headers![i]!, Buffer.from(record.headers![i + 1]!)])
      return {
        partition: record.partition,
        offset: BigInt(record.offset),
        key: record.key === null ? null : Buffer.from(record.key),
        value: record.payload === null ? null : Buffer.from(record.payload),
        headers,
        timestamp: record.ts,
      }
    })
}

interface KcatMetadata {
  controllerid: number
  brokers: { id: number; name: string }[]
  topics: { topic: string; partitions: { partition: number; leader: number; replicas: { id: number }[] }[] }[]
}

async function kcatMetadata(bootstrap: string, topic: string, args: readonly string[] = []): Promise<KcatMetadata> {
  const result = await kcat(['-b', bootstrap, '-L', '-J', '-t', topic, ...args])
  if (result.code !== 0) throw new Error(`kcat -L failed (${result.code}): ${result.stderr}`)
  return JSON.parse(result.stdout) as KcatMetadata
}

/**
 * Produces with kcat (`producerArgs` and `security`) and reads the topic back
 * with kcat (`security`); checks contents, order, offsets and create times.
 */
async function roundTrip(
  topic: string,
  records: readonly TestRecord[],
  listener: ListenerEndpoint,
  producerArgs: readonly string[],
  security: readonly string[] = [],
) {
  const bootstrap = listener.bootstrapServers.join(',')
  const before = Date.now()
  await kcatProduceRecords(bootstrap, topic, records, [...security, ...producerArgs])
  const after = Date.now()
  const received = await kcatConsumeRecords(bootstrap, topic, security)
  expect(recordProblems(asKcatRecords(records), received, { tag: topic, timestamps: false })).toEqual([])
  expect(offsetGaps(received)).toEqual([])
  const late = received.filter((r) => r.timestamp < before - 1 || r.timestamp > after + 1)
  expect(late.map((r) => `${r.partition}@${r.offset}: ${r.timestamp}`)).toEqual([])
  return received
}

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const
const CODEC_IDS: Record<(typeof CODECS)[number], CompressionType> = {
  gzip: CompressionType.Gzip,
  snappy: CompressionType.Snappy,
  lz4: CompressionType.Lz4,
  zstd: CompressionType.Zstd,
}

describe.skipIf(skipReason !== undefined)(
  `kcat (librdkafka ${librdkafka}) against a three-broker ${interop?.target} cluster`,
  () => {
    it('lists every broker, the controller and each partition leader (-L)', async () => {
      const { cluster, control, bootstrap } = interop!
      const topic = uniqueTopic('kcat-metadata')
      await interop!.createTopic(topic, 6)
      const metadata = await kcatMetadata(bootstrap, topic)
      expect(metadata.brokers.map((b) => b.id).sort()).toEqual([1, 2, 3])
      expect(metadata.brokers.map((b) => b.name).sort()).toEqual([...cluster.bootstrapServers].sort())
      expect(metadata.brokers.map((b) => b.id)).toContain(metadata.controllerid)
      const [described] = metadata.topics
      expect(described?.topic).toBe(topic)
      expect(described!.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2, 3, 4, 5])
      expect(new Set(described!.partitions.map((p) => p.leader))).toEqual(new Set([1, 2, 3]))
      if (control) {
        const state = control.state.topics.get(topic)!
        expect(described!.partitions.map((p) => [p.partition, p.leader, p.replicas.map((r) => r.id)])).toEqual(
          state.partitions.map((p) => [p.partition, p.leader, p.replicas]),
        )
        expect(metadata.controllerid).toBe(control.state.controllerId)
      }
      // The human-readable listing says the same.
      const text = await kcat(['-b', bootstrap, '-L', '-t', topic])
      expect(text.stdout).toMatch(/ 3 brokers:/)
      expect(text.stdout).toMatch(/ 6 partitions:/)
    })

    it.for(CODECS)('produces and consumes %s batches with keys and headers, in order per partition', async (codec) => {
      requireApis(interop!, DATA_APIS)
      const { cluster, control, traffic } = interop!
      const topic = uniqueTopic(`kcat-${codec}`)
      await interop!.createTopic(topic, 4)
      const records = makeRecords({ tag: topic, count: 800, partitions: 4 })
      const routing = watchLeaderRouting(traffic, control)
      const received = await roundTrip(topic, records, cluster.listeners.PLAINTEXT!, ['-z', codec])
      expect(new Set(received.map((r) => r.partition))).toEqual(new Set([0, 1, 2, 3]))
      expect(routing()).toEqual([])
      if (control) {
        // What librdkafka compressed, the broker kept compressed.
        expect(new Set(storedBatches(control, topic).map((b) => b.header.compression))).toEqual(
          new Set([CODEC_IDS[codec]]),
        )
      }
    })

    it('follows leaders that move between produce runs, and reads the log written under three epochs', async ({
      skip,
    }) => {
      const { cluster, control } = interop!
      if (!control) return skip('moving a leader needs the embedded control API')
      requireApis(interop!, DATA_APIS)
      const topic = uniqueTopic('kcat-moved')
      await interop!.createTopic(topic, 3)
      const records = makeRecords({ tag: topic, count: 300, partitions: 3 })
      const bootstrap = cluster.bootstrapServers.join(',')
      for (let round = 0; round < 3; round++) {
        await kcatProduceRecords(bootstrap, topic, records.slice(round * 100, (round + 1) * 100), ['-z', 'lz4'])
        for (const partition of control.state.topics.get(topic)!.partitions)
          control.moveLeader(topic, partition.partition, (partition.leader % 3) + 1)
      }
      expect([...new Set(storedBatches(control, topic).map((b) => b.header.partitionLeaderEpoch))].sort()).toEqual([
        0, 1, 2,
      ])
      const received = await kcatConsumeRecords(bootstrap, topic, [])
      expect(recordProblems(asKcatRecords(records), received, { tag: topic, timestamps: false })).toEqual([])
      expect(offsetGaps(received)).toEqual([])
    })

    it('produces idempotently (enable.idempotence=true) and reads back every record once', async () => {
      requireApis(interop!, [...DATA_APIS, 'InitProducerId'])
      const { cluster, control } = interop!
      const topic = uniqueTopic('kcat-idempotent')
      await interop!.createTopic(topic, 3)
      const records = makeRecords({ tag: topic, count: 300, partitions: 3 })
      await roundTrip(topic, records, cluster.listeners.PLAINTEXT!, ['-X', 'enable.idempotence=true', '-z', 'zstd'])
      if (control) {
        const ids = new Set(storedBatches(control, topic).map((b) => b.header.producerId))
        expect(ids.size).toBe(1)
        expect([...ids][0]).toBeGreaterThanOrEqual(0n)
      }
    })

    it.for(['range,roundrobin', 'cooperative-sticky'])(
      'consumes with a balanced consumer group (-G, %s) and commits where it stopped',
      async (strategy) => {
        requireApis(interop!, [
          ...DATA_APIS,
          'FindCoordinator',
          'JoinGroup',
          'SyncGroup',
          'Heartbeat',
          'OffsetFetch',
          'OffsetCommit',
          'LeaveGroup',
        ])
        const { bootstrap } = interop!
        const topic = uniqueTopic('kcat-group')
        await interop!.createTopic(topic, 4)
        const records = makeRecords({ tag: topic, count: 400, partitions: 4 })
        await kcatProduceRecords(bootstrap, topic, records, ['-z', 'snappy'])
        const groupId = `group-${topic}`
        const group = [
          '-G',
          groupId,
          '-X',
          `partition.assignment.strategy=${strategy}`,
          '-X',
          'auto.offset.reset=earliest',
        ]
        const result = await kcat([
          '-b',
          bootstrap,
          ...group,
          '-X',
          'enable.auto.commit=true',
          '-X',
          'auto.commit.interval.ms=100',
          '-e',
          '-q',
          '-J',
          topic,
        ])
        if (result.code !== 0) throw new Error(`kcat -G failed (${result.code}): ${result.stderr}`)
        const received = parseKcatJson(result.stdout)
        expect(recordProblems(asKcatRecords(records), received, { tag: topic, timestamps: false })).toEqual([])
        // A second run of the group starts where the first one committed: nothing left to read.
        const again = await kcat(['-b', bootstrap, ...group, '-e', '-q', '-J', topic])
        expect(again.code).toBe(0)
        expect(parseKcatJson(again.stdout)).toEqual([])
      },
    )

    it('reads broker timestamps from a LogAppendTime topic (message.timestamp.type)', async () => {
      requireApis(interop!, DATA_APIS)
      const { bootstrap } = interop!
      const topic = uniqueTopic('kcat-log-append')
      await interop!.createTopic(topic, 2, { 'message.timestamp.type': 'LogAppendTime' })
      const records = makeRecords({ tag: topic, count: 100, partitions: 2 })
      const before = Date.now()
      await kcatProduceRecords(bootstrap, topic, records, ['-z', 'gzip'])
      const after = Date.now()
      const result = await kcat(['-b', bootstrap, '-t', topic, '-C', '-o', 'beginning', '-e', '-q', '-J'])
      expect(result.code).toBe(0)
      const lines = result.stdout
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as KcatJsonRecord)
      expect(lines).toHaveLength(records.length)
      expect(new Set(lines.map((line) => line.tstype))).toEqual(new Set(['logappend']))
      const outside = lines.filter((line) => line.ts < before - 1 || line.ts > after + 1)
      expect(outside.map((line) => `${line.partition}@${line.offset}: ${line.ts}`)).toEqual([])
    })

    it('round-trips over SASL_SSL with SCRAM-SHA-512, and lists the SASL_SSL ports', async ({ skip }) => {
      const listener = interop!.cluster.listeners.SASL_SSL
      if (!listener) return skip(`the ${interop!.target} cluster has no SASL_SSL listener`)
      const scram = kcatScramUnsupported()
      if (scram) return skip(scram)
      requireApis(interop!, [...DATA_APIS, 'SaslHandshake', 'SaslAuthenticate'])
      const security = kcatSecurityArgs({ listener, mechanism: 'SCRAM-SHA-512' })
      const topic = uniqueTopic('kcat-sasl-ssl')
      await interop!.createTopic(topic, 3)
      const metadata = await kcatMetadata(listener.bootstrapServers.join(','), topic, security)
      expect(metadata.brokers.map((b) => b.name).sort()).toEqual([...listener.bootstrapServers].sort())
      const records = makeRecords({ tag: topic, count: 200, partitions: 3 })
      await roundTrip(topic, records, listener, ['-z', 'lz4'], security)
      if (interop!.control) {
        const saslRequests = interop!.traffic.requests('SaslAuthenticate')
        expect(saslRequests.length).toBeGreaterThan(0)
      }
    })
  },
)
