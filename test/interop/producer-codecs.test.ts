import { CompressionType } from '@kafkit/protocol'
import { type CompressionName, Kafka, type MessageHeaders } from 'kafkit'
import { describe, expect, it } from 'vitest'
import { kcat, kcatUnavailable } from '../integration/support/kcat.js'
import { uniqueTopic } from '../integration/support/test-cluster.js'
import {
  type ConsumeCheckRecord,
  isJavaFailure,
  javaConsumeCheck,
  javaReferenceAvailability,
} from '../reference/java-reference.js'
import { requireApis, storedBatches, useInteropCluster } from './support/interop-cluster.js'

/**
 * Batches the kafkit producer writes, in every compression, are read exactly
 * as produced by clients kafkit did not write: kcat (librdkafka) and Kafka's
 * Java consumer 4.1.1 (test/reference's consume-check). Records carry keys and
 * null keys, null values (tombstones), repeated header keys and a header with
 * a null value, and explicit timestamps; both readers must report the same
 * keys, values, headers, timestamps and offsets the producer acknowledged.
 */
const kcatMissing = kcatUnavailable()
if (kcatMissing) console.warn(`skipped (kcat checks): ${kcatMissing}`)
const java = await javaReferenceAvailability()
const javaMissing = java.available ? undefined : java.reason
if (javaMissing && process.env.KAFKIT_REQUIRE_JAVA_REFERENCE === '1') throw new Error(javaMissing)
if (javaMissing) console.warn(`skipped (Java consumer checks): ${javaMissing}`)
const { interop, skipReason } =
  kcatMissing && javaMissing
    ? { interop: undefined, skipReason: `${kcatMissing}; ${javaMissing}` }
    : await useInteropCluster({ brokers: 3 })

const PARTITIONS = 3
const PER_CODEC = 90
const CODECS: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']
const CODEC_IDS: Record<CompressionName, number> = {
  none: CompressionType.None,
  gzip: CompressionType.Gzip,
  snappy: CompressionType.Snappy,
  lz4: CompressionType.Lz4,
  zstd: CompressionType.Zstd,
}

interface Produced {
  partition: number
  key: string | null
  value: string | null
  headers: { key: string; value: string | null }[]
  timestamp: number
  /** The offset the producer's acknowledgement gave. */
  offset: bigint
}

const FILLER = 'kafkit compresses this sentence well; '

/** Record `i` of a codec's run: every shape a reader must carry, all text so kcat's JSON shows it exactly. */
function message(codec: CompressionName, i: number, baseTimestamp: number) {
  const key = i % 4 === 0 ? null : `key-${codec}-${i % 7}`
  const value = i % 9 === 4 ? null : `${codec}:${i}:${FILLER.repeat(i % 5 === 0 ? 60 : i % 3)}`
  const headers: { key: string; value: string | null }[] =
    i % 3 === 0
      ? []
      : i % 3 === 1
        ? [
            { key: 'trace', value: `t-${i}` },
            { key: 'trace', value: `t-${i}-again` },
            { key: 'codec', value: codec },
          ]
        : [
            { key: 'nullable', value: null },
            { key: 'empty', value: '' },
          ]
  return { partition: i % PARTITIONS, key, value, headers, timestamp: baseTimestamp + i }
}

/** kafkit takes repeated header keys as arrays in an object, and null values in its list form. */
function kafkitHeaders(headers: { key: string; value: string | null }[]): MessageHeaders {
  if (headers.some((h) => h.value === null)) return headers
  const byKey: Record<string, string[]> = {}
  for (const { key, value } of headers) byKey[key] = [...(byKey[key] ?? []), value!]
  return byKey
}

interface KcatJsonRecord {
  partition: number
  offset: number
  tstype: string
  ts: number
  key: string | null
  payload: string | null
  headers?: (string | null)[]
}

const text = (bytes: string | null) => (bytes === null ? null : Buffer.from(bytes))

describe.skipIf(skipReason !== undefined)(
  `kafkit-produced batches against a three-broker ${interop?.target} cluster`,
  () => {
    let topic: string
    const produced: Produced[] = []

    it('the producer writes every compression and acknowledges offsets in send order (embedded: batches stored as sent)', async () => {
      requireApis(interop!, ['Produce', 'Metadata', 'InitProducerId', 'ListOffsets', 'Fetch'])
      topic = uniqueTopic('kafkit-codecs')
      await interop!.createTopic(topic, PARTITIONS)
      const kafka = new Kafka({ clientId: 'kafkit-codecs', brokers: interop!.cluster.bootstrapServers })
      const baseTimestamp = Date.now() - 600_000
      for (const [c, codec] of CODECS.entries()) {
        await using producer = kafka.producer({ compression: codec })
        await producer.connect()
        const records = Array.from({ length: PER_CODEC }, (_, i) => message(codec, i, baseTimestamp + c * 1000))
        const acked = await producer.send({
          topic,
          messages: records.map((r) => ({
            key: r.key,
            value: r.value,
            partition: r.partition,
            headers: kafkitHeaders(r.headers),
            timestamp: r.timestamp,
          })),
        })
        for (const [i, r] of records.entries()) produced.push({ ...r, offset: acked[i]!.offset })
      }
      // Each partition holds only these records, so the acknowledged offsets run 0, 1, 2... in send order.
      for (let p = 0; p < PARTITIONS; p++) {
        const offsets = produced.filter((r) => r.partition === p).map((r) => r.offset)
        expect(offsets).toEqual(offsets.map((_, i) => BigInt(i)))
      }
      const control = interop!.control
      if (control) {
        const batches = storedBatches(control, topic)
        expect(new Set(batches.map((b) => b.header.compression))).toEqual(new Set(Object.values(CODEC_IDS)))
        // Idempotent by default: every batch carries the producer's id and a sequence.
        expect(batches.every((b) => b.header.producerId >= 0n && b.header.baseSequence >= 0)).toBe(true)
      }
    })

    it.skipIf(kcatMissing !== undefined)('kcat reads every record exactly as produced', async () => {
      expect(produced).toHaveLength(CODECS.length * PER_CODEC)
      const result = await kcat(['-b', interop!.bootstrap, '-t', topic, '-C', '-o', 'beginning', '-e', '-q', '-J'])
      if (result.code !== 0) throw new Error(`kcat consume failed (${result.code}): ${result.stderr}`)
      const read = result.stdout
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => {
          const record = JSON.parse(line) as KcatJsonRecord
          const headers: { key: string; value: string | null }[] = []
          for (let i = 0; i + 1 < (record.headers?.length ?? 0); i += 2)
            headers.push({ key: record.headers![i]!, value: record.headers![i + 1]! })
          return {
            partition: record.partition,
            offset: BigInt(record.offset),
            key: record.key,
            value: record.payload,
            headers,
            timestamp: record.ts,
            tstype: record.tstype,
          }
        })
      const byPosition = (a: { partition: number; offset: bigint }, b: { partition: number; offset: bigint }) =>
        a.partition - b.partition || Number(a.offset - b.offset)
      const expected = [...produced].sort(byPosition).map((r) => ({ ...r, tstype: 'create' }))
      expect(read.sort(byPosition)).toEqual(expected)
    })

    it.skipIf(javaMissing !== undefined)('the Java consumer reads every record exactly as produced', async () => {
      expect(produced).toHaveLength(CODECS.length * PER_CODEC)
      const records: ConsumeCheckRecord[] = produced.map((r) => ({
        partition: r.partition,
        offset: r.offset,
        key: text(r.key),
        value: text(r.value),
        headers: r.headers.map((h) => ({ key: h.key, value: text(h.value) })),
        timestamp: r.timestamp,
      }))
      const [outcome] = await javaConsumeCheck([
        {
          bootstrap: interop!.bootstrap,
          topic,
          start: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: 0n })),
          records,
        },
      ])
      if (!outcome || isJavaFailure(outcome)) throw new Error(`consume-check failed: ${outcome?.error}`)
      expect(outcome.problems).toEqual([])
      expect(outcome.matched).toBe(produced.length)
      expect(outcome.read).toBe(produced.length)
      expect([...outcome.endOffsets].sort()).toEqual(
        Array.from({ length: PARTITIONS }, (_, p) => [p, BigInt(produced.filter((r) => r.partition === p).length)]),
      )
    })
  },
)
