/**
 * The consumer against kafkajs on real Apache Kafka 4.1.1 (issue "[6 of 7]
 * @kafkit/consumer"): a topic is filled once (kafkit's producer), then kafkit
 * (each of the ways it is driven) and kafkajs consume it from the beginning
 * alternately, `--runs` times each, every run in a child process of its own
 * (CPU is attributed to the client alone) and in a fresh group. A run counts
 * only if it saw exactly the topic's records: the count per partition equals
 * the partition's end offset, the last offset seen is the end offset minus
 * one, offsets were contiguous, and the value bytes add up. Reports records/s,
 * MB/s, the ratio of medians to kafkajs, client and broker CPU per MB; writes
 * JSON to bench/results/.
 *
 *   pnpm bench:consumer [--runs 5] [--records 1000000] [--record-bytes 1024] [--partitions 6]
 *                       [--variants kafkit:eachBatch,kafkit:eachMessage,kafkit:iterator,kafkajs:eachBatch]
 *                       [--max-bytes 16777216] [--max-bytes-per-partition 2097152]
 *                       [--max-poll-records 2000] [--cpu-prof DIR]
 */
import { parseArgs } from 'node:util'
import { Kafka } from 'kafkit'
import type { ConsumeMode, ConsumerClient, ConsumerRunConfig, ConsumerRunResult } from './consumer-scenarios.js'
import { median, type RunRates, ratesOf, reportHead, runChild, startJarBench, writeResults } from './jar-bench.js'
import { recordValues } from './producer-scenarios.js'

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: process.env.CONSUMER_BENCH_RUNS ?? '5' },
    records: { type: 'string', default: '1000000' },
    'record-bytes': { type: 'string', default: '1024' },
    partitions: { type: 'string', default: '6' },
    variants: { type: 'string', default: 'kafkit:eachBatch,kafkit:eachMessage,kafkit:iterator,kafkajs:eachBatch' },
    'max-bytes': { type: 'string', default: String(16 * 1024 * 1024) },
    'max-bytes-per-partition': { type: 'string', default: String(2 * 1024 * 1024) },
    'max-poll-records': { type: 'string', default: '2000' },
    'cpu-prof': { type: 'string' },
  },
})

function positive(name: keyof typeof args): number {
  const value = Number(args[name])
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`)
  return value
}

const RUNS = positive('runs')
const RECORDS = positive('records')
const RECORD_BYTES = positive('record-bytes')
const PARTITIONS = positive('partitions')
interface Variant {
  id: string
  client: ConsumerClient
  mode: ConsumeMode
}
const VARIANTS: Variant[] = (args.variants ?? '').split(',').map((id) => {
  const [client, mode] = id.split(':') as [ConsumerClient, ConsumeMode]
  if (!['kafkit', 'kafkajs'].includes(client) || !['eachBatch', 'eachMessage', 'iterator'].includes(mode)) {
    throw new Error(`--variants: ${id} is not client:mode (kafkit or kafkajs, eachBatch, eachMessage or iterator)`)
  }
  return { id, client, mode }
})

interface Measured extends ConsumerRunResult, RunRates {
  variant: string
}

const bench = await startJarBench()
const startedAt = new Date()
const topic = `bench-consume-${Date.now()}`
const measured: Measured[] = []
let partitionRecords: number[] = []

/** Fills the topic once with kafkit's producer; every run reads the same records. */
async function fill(): Promise<void> {
  await bench.createTopic(topic, PARTITIONS)
  const values = recordValues(RECORD_BYTES)
  const producer = new Kafka({ clientId: 'bench-fill', brokers: bench.brokers }).producer({
    acks: 1,
    idempotent: false,
    batchBytes: 262_144,
  })
  await producer.connect()
  const filled = performance.now()
  let failed: Error | null = null
  // Records produced before the topic's metadata is known wait outside the buffer, which waitForBuffer()
  // does not count: the first record goes alone, so the loop below is paced.
  await producer.send({ topic, messages: [{ value: values[0]! }] })
  for (let i = 1; i < RECORDS; i++) {
    producer.produce({ topic, value: values[i % values.length]! }, (error) => {
      failed ??= error
    })
    if ((i & 511) === 511) await producer.waitForBuffer()
  }
  await producer.flush()
  await producer.disconnect()
  if (failed) throw failed
  const offsets = await bench.admin.fetchTopicOffsets(topic)
  partitionRecords = Array.from({ length: PARTITIONS }, (_, p) => Number(offsets.find((o) => o.partition === p)!.high))
  const total = partitionRecords.reduce((a, b) => a + b, 0)
  if (total !== RECORDS) throw new Error(`the topic holds ${total} records after the fill, ${RECORDS} expected`)
  console.error(
    `filled ${topic}: ${partitionRecords.join(' + ')} records in ${((performance.now() - filled) / 1000).toFixed(1)} s`,
  )
}

function check(result: ConsumerRunResult, label: string): void {
  const problems: string[] = []
  if (result.firstError) problems.push(result.firstError)
  if (result.records !== RECORDS) problems.push(`${result.records} records seen, ${RECORDS} expected`)
  if (result.valueBytes !== RECORDS * RECORD_BYTES) problems.push(`${result.valueBytes} value bytes`)
  partitionRecords.forEach((expected, p) => {
    if (result.partitionCounts[p] !== expected || result.lastOffsets[p] !== expected - 1) {
      problems.push(
        `partition ${p}: ${result.partitionCounts[p]} records up to offset ${result.lastOffsets[p]}, ${expected} up to ${expected - 1} expected`,
      )
    }
  })
  if (problems.length > 0) throw new Error(`${label} is invalid: ${problems.join('; ')}`)
}

async function measure(variant: Variant, run: number): Promise<Measured> {
  const config: ConsumerRunConfig = {
    client: variant.client,
    mode: variant.mode,
    topic,
    groupId: `bench-${variant.client}-${variant.mode}-${run}-${Date.now()}`,
    brokers: bench.brokers,
    partitionRecords,
    recordBytes: RECORD_BYTES,
    maxBytes: positive('max-bytes'),
    maxBytesPerPartition: positive('max-bytes-per-partition'),
    maxPollRecords: positive('max-poll-records'),
  }
  const label = `${variant.id} run ${run}`
  const attributed = await bench.attribute(() =>
    runChild<ConsumerRunResult>('consumer-bench-child.ts', config, config.groupId, args['cpu-prof']),
  )
  check(attributed.result, label)
  const m: Measured = { ...attributed.result, variant: variant.id, ...ratesOf(run, attributed, RECORDS, RECORD_BYTES) }
  console.error(
    `${label}: ${Math.round(m.recordsPerSecond).toLocaleString('en')} records/s, ${m.mbPerSecond.toFixed(1)} MB/s, ${m.cpuSecondsPerMb.toFixed(4)} CPU s/MB, broker ${m.brokerCpuSecondsPerMb?.toFixed(4) ?? '?'} CPU s/MB, others ${m.othersPercent?.toFixed(0) ?? '?'}% of the CPUs, first message after ${m.firstMessageSeconds.toFixed(2)} s`,
  )
  return m
}

try {
  await fill()
  for (let run = 1; run <= RUNS; run++) {
    // Alternate the order, so no client always reads right after another warmed the page cache.
    const order = run % 2 === 1 ? VARIANTS : [...VARIANTS].reverse()
    for (const variant of order) measured.push(await measure(variant, run))
  }
} finally {
  await bench.stop()
}

const medianOf = (mine: Measured[], pick: (m: Measured) => number | undefined) => {
  const values = mine.map(pick)
  return values.every((v) => v !== undefined) ? median(values as number[]) : undefined
}
const rows = VARIANTS.map((variant) => {
  const mine = measured.filter((m) => m.variant === variant.id)
  return {
    variant: variant.id,
    recordsPerSecond: medianOf(mine, (m) => m.recordsPerSecond)!,
    mbPerSecond: medianOf(mine, (m) => m.mbPerSecond)!,
    cpuSecondsPerMb: medianOf(mine, (m) => m.cpuSecondsPerMb)!,
    brokerCpuSecondsPerMb: medianOf(mine, (m) => m.brokerCpuSecondsPerMb),
    othersPercent: medianOf(mine, (m) => m.othersPercent),
    runs: mine.length,
  }
})
const peer = rows.find((r) => r.variant.startsWith('kafkajs'))
const table = [
  '| client (how driven) | records/s (median) | MB/s | vs kafkajs | client CPU s/MB | broker CPU s/MB | others CPU % |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (row) =>
      `| ${row.variant} | ${Math.round(row.recordsPerSecond).toLocaleString('en')} | ${row.mbPerSecond.toFixed(1)} | ${peer ? `${(row.recordsPerSecond / peer.recordsPerSecond).toFixed(2)}x` : ''} | ${row.cpuSecondsPerMb.toFixed(4)} | ${row.brokerCpuSecondsPerMb?.toFixed(4) ?? 'n/a'} | ${row.othersPercent?.toFixed(0) ?? 'n/a'} |`,
  ),
]

const report = {
  ...reportHead(startedAt),
  settings: {
    ...args,
    runs: RUNS,
    records: RECORDS,
    recordBytes: RECORD_BYTES,
    partitions: PARTITIONS,
    partitionRecords,
  },
  rows,
  runs: measured,
}
const file = writeResults('consumer', startedAt, report)
console.log(
  `\n${report.kafka}; ${report.machine.cpus} x ${report.machine.cpuModel}, Node ${report.machine.node}; broker and clients share the CPUs; ${RECORDS.toLocaleString('en')} x ${RECORD_BYTES} B in ${PARTITIONS} partitions\n`,
)
console.log(table.join('\n'))
console.log(`\nwritten to ${file}`)
