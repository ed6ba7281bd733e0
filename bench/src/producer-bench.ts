/**
 * The producer against kafkajs on real Apache Kafka 4.1.1 (issue "[5 of 7]
 * @kafkit/producer"): for each scenario, kafkit and kafkajs run alternately,
 * `--runs` times each, every run in a child process of its own (CPU is
 * attributed to the client alone) and on a fresh topic. A run counts only if
 * the client saw every record acknowledged and the topic's end offsets add up
 * to the records sent. Reports records/s, MB/s, the kafkit/kafkajs ratio of
 * the medians and client CPU seconds per MB; writes JSON to bench/results/.
 *
 * Kafka is started from its jars (one broker, @kafkit/testkit) unless
 * KAFKA_BROKERS names a cluster. Broker and client share this machine.
 *
 *   pnpm bench:producer [--runs 5] [--scale 1] [--only 100B] [--partitions 6] [--warmup 20000]
 *                       [--per-send 1000] [--in-flight 4] [--batch-bytes 262144] [--linger-ms 5]
 *                       [--max-in-flight 5] [--max-request-bytes 1048576]
 *                       [--cpu-prof DIR]
 *
 * `--scale 0.1` runs a tenth of the records (also PRODUCER_BENCH_SCALE and
 * PRODUCER_BENCH_RUNS in the environment).
 */
import { parseArgs } from 'node:util'
import { median, type RunRates, ratesOf, reportHead, runChild, startJarBench, writeResults } from './jar-bench.js'
import {
  scenarios as allScenarios,
  type ClientName,
  type RunConfig,
  type RunResult,
  type Scenario,
} from './producer-scenarios.js'

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: process.env.PRODUCER_BENCH_RUNS ?? '5' },
    scale: { type: 'string', default: process.env.PRODUCER_BENCH_SCALE ?? '1' },
    only: { type: 'string' },
    clients: { type: 'string', default: 'kafkit,kafkajs' },
    partitions: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '20000' },
    'per-send': { type: 'string', default: '1000' },
    'in-flight': { type: 'string', default: '4' },
    'batch-bytes': { type: 'string', default: '262144' },
    'linger-ms': { type: 'string', default: '5' },
    'max-in-flight': { type: 'string', default: '5' },
    'max-request-bytes': { type: 'string', default: '1048576' },
    'cpu-prof': { type: 'string' },
  },
})

const RUNS = positive('runs')
const SCALE = Number(args.scale)
const PARTITIONS = positive('partitions')
const CLIENTS = (args.clients ?? '').split(',').filter(Boolean) as ClientName[]

function positive(name: keyof typeof args): number {
  const value = Number(args[name])
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`)
  return value
}

interface Measured extends RunResult, RunRates {
  endOffsetSum: number
}

const bench = await startJarBench()
const measured: Measured[] = []
const selected = allScenarios(SCALE).filter((s) => !args.only || s.id.includes(args.only))
const startedAt = new Date()

async function measure(scenario: Scenario, client: ClientName, run: number): Promise<Measured> {
  const topic = `bench-${scenario.id}-${client}-${run}-${Date.now()}`
  await bench.createTopic(topic, PARTITIONS)
  const warmupRecords = Math.min(positive('warmup'), scenario.records)
  const config: RunConfig = {
    client,
    scenario,
    topic,
    brokers: bench.brokers,
    warmupRecords,
    kafkajsPerSend: positive('per-send'),
    kafkajsInFlight: positive('in-flight'),
    kafkitBatchBytes: positive('batch-bytes'),
    kafkitLingerMs: positive('linger-ms'),
    kafkitMaxInFlight: positive('max-in-flight'),
    kafkitMaxRequestBytes: positive('max-request-bytes'),
  }
  const attributed = await bench.attribute(() =>
    runChild<RunResult>('producer-bench-child.ts', config, topic, args['cpu-prof']),
  )
  const { result } = attributed
  const offsets = await bench.admin.fetchTopicOffsets(topic)
  const endOffsetSum = offsets.reduce((sum, p) => sum + Number(p.high), 0)
  await bench.admin.deleteTopics({ topics: [topic] })
  const expected = warmupRecords + scenario.records
  if (result.acknowledged !== scenario.records || result.failed > 0 || endOffsetSum !== expected) {
    throw new Error(
      `${client} ${scenario.id} run ${run} is invalid: ${result.acknowledged} acknowledged, ${result.failed} failed (${result.firstError}), ${endOffsetSum} records in the topic, ${expected} expected`,
    )
  }
  const m: Measured = {
    ...result,
    ...ratesOf(run, attributed, scenario.records, scenario.recordBytes, expected),
    endOffsetSum,
  }
  console.error(
    `${scenario.id} ${client} run ${run}: ${Math.round(m.recordsPerSecond).toLocaleString('en')} records/s, ${m.mbPerSecond.toFixed(1)} MB/s, ${m.cpuSecondsPerMb.toFixed(4)} CPU s/MB, broker ${m.brokerCpuSecondsPerMb?.toFixed(4) ?? '?'} CPU s/MB, others ${m.othersPercent?.toFixed(0) ?? '?'}% of the CPUs`,
  )
  return m
}

try {
  for (const scenario of selected) {
    for (let run = 1; run <= RUNS; run++) {
      // Alternate which client goes first, so neither always runs on a warmer broker.
      const order = run % 2 === 1 ? CLIENTS : [...CLIENTS].reverse()
      for (const client of order) measured.push(await measure(scenario, client, run))
    }
  }
} finally {
  await bench.stop()
}

interface Row {
  scenario: string
  client: ClientName
  recordsPerSecond: number
  mbPerSecond: number
  cpuSecondsPerMb: number
  brokerCpuSecondsPerMb: number | undefined
  othersPercent: number | undefined
  runs: number
}

const rows: Row[] = []
for (const scenario of selected) {
  for (const client of CLIENTS) {
    const mine = measured.filter((m) => m.scenario === scenario.id && m.client === client)
    if (mine.length === 0) continue
    rows.push({
      scenario: scenario.id,
      client,
      recordsPerSecond: median(mine.map((m) => m.recordsPerSecond)),
      mbPerSecond: median(mine.map((m) => m.mbPerSecond)),
      cpuSecondsPerMb: median(mine.map((m) => m.cpuSecondsPerMb)),
      brokerCpuSecondsPerMb: mine.every((m) => m.brokerCpuSecondsPerMb !== undefined)
        ? median(mine.map((m) => m.brokerCpuSecondsPerMb!))
        : undefined,
      othersPercent: mine.every((m) => m.othersPercent !== undefined)
        ? median(mine.map((m) => m.othersPercent!))
        : undefined,
      runs: mine.length,
    })
  }
}

const table = [
  '| scenario | records | client | records/s (median) | MB/s | kafkit/kafkajs | client CPU s/MB | broker CPU s/MB | others CPU % |',
  '|---|---:|---|---:|---:|---:|---:|---:|---:|',
]
for (const row of rows) {
  const scenario = selected.find((s) => s.id === row.scenario)!
  const peer = rows.find((r) => r.scenario === row.scenario && r.client === 'kafkajs')
  const ratio = row.client === 'kafkit' && peer ? `${(row.recordsPerSecond / peer.recordsPerSecond).toFixed(2)}x` : ''
  table.push(
    `| ${row.scenario} | ${scenario.records.toLocaleString('en')} x ${scenario.recordBytes} B | ${row.client} | ${Math.round(row.recordsPerSecond).toLocaleString('en')} | ${row.mbPerSecond.toFixed(1)} | ${ratio} | ${row.cpuSecondsPerMb.toFixed(4)} | ${row.brokerCpuSecondsPerMb?.toFixed(4) ?? 'n/a'} | ${row.othersPercent?.toFixed(0) ?? 'n/a'} |`,
  )
}

const report = {
  ...reportHead(startedAt),
  settings: { ...args, runs: RUNS, scale: SCALE, partitions: PARTITIONS },
  rows,
  runs: measured,
}
const file = writeResults('producer', startedAt, report)
console.log(
  `\n${report.kafka}; ${report.machine.cpus} x ${report.machine.cpuModel}, Node ${report.machine.node}; broker and clients share the CPUs\n`,
)
console.log(table.join('\n'))
console.log(`\nwritten to ${file}`)
