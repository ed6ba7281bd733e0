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
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { KAFKA_VERSION, startKafka } from '@kafkit/testkit'
import kafkajs from 'kafkajs'
import { brokerCpuSeconds, brokerPids } from './broker-cpu.js'
import { watchContention } from './contention.js'
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

const here = dirname(fileURLToPath(import.meta.url))
const benchDir = join(here, '..')
const RUNS = positive('runs')
const SCALE = Number(args.scale)
const PARTITIONS = positive('partitions')
const CLIENTS = (args.clients ?? '').split(',').filter(Boolean) as ClientName[]
const MB = 1_000_000

function positive(name: keyof typeof args): number {
  const value = Number(args[name])
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`)
  return value
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

function runChild(config: RunConfig): Promise<RunResult> {
  const profile = args['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`, `--cpu-prof-name=${config.topic}.cpuprofile`]
    : []
  const child = spawn(
    process.execPath,
    [
      ...profile,
      '--conditions=@kafkit/source',
      '--import',
      'tsx',
      join(here, 'producer-bench-child.ts'),
      JSON.stringify(config),
    ],
    { cwd: benchDir, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
      if (code !== 0 || !line) reject(new Error(`${config.client} run on ${config.topic} exited ${code}: ${stdout}`))
      else resolve(JSON.parse(line.slice('RESULT '.length)) as RunResult)
    })
  })
}

interface Measured extends RunResult {
  run: number
  recordsPerSecond: number
  mbPerSecond: number
  cpuSecondsPerMb: number
  /** CPU seconds of the broker (jar cluster only) over the whole child run, warm-up and connect included. */
  brokerCpuSecondsPerMb?: number
  /**
   * Share of the machine's CPU time that neither this client, its broker nor
   * the benchmark used during the child's life (other processes, steal): runs
   * where it is high were disturbed.
   */
  othersPercent?: number
  endOffsetSum: number
}

const cluster = await startKafka({ target: 'jar' })
const brokers = cluster.bootstrapServers
const pids = brokerPids(cluster.dir)
// Interrupted (Ctrl-C): stop the broker rather than leave a JVM behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cluster.stop().finally(() => process.exit(130))
  })
}
const admin = new kafkajs.Kafka({ clientId: 'bench-admin', brokers, logLevel: kafkajs.logLevel.NOTHING }).admin()
await admin.connect()
const measured: Measured[] = []
const selected = allScenarios(SCALE).filter((s) => !args.only || s.id.includes(args.only))
const startedAt = new Date()

/** Creates a topic and waits until every partition has a leader (kafkajs's own wait gives up on a busy machine). */
async function createTopic(topic: string): Promise<void> {
  const deadline = performance.now() + 60_000
  for (;;) {
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] })
      break
    } catch (error) {
      // A retried create whose first attempt went through finds the topic there.
      if ((error as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') break
      if (performance.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
      const partitions = topics[0]?.partitions ?? []
      if (partitions.length === PARTITIONS && partitions.every((p) => p.leader >= 0)) return
    } catch (error) {
      if (performance.now() > deadline) throw error
    }
    if (performance.now() > deadline) throw new Error(`topic ${topic} has no leaders after 60 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function measure(scenario: Scenario, client: ClientName, run: number): Promise<Measured> {
  const topic = `bench-${scenario.id}-${client}-${run}-${Date.now()}`
  await createTopic(topic)
  const warmupRecords = Math.min(positive('warmup'), scenario.records)
  const brokerBefore = brokerCpuSeconds(pids)
  const contention = watchContention()
  const childStarted = performance.now()
  const result = await runChild({
    client,
    scenario,
    topic,
    brokers,
    warmupRecords,
    kafkajsPerSend: positive('per-send'),
    kafkajsInFlight: positive('in-flight'),
    kafkitBatchBytes: positive('batch-bytes'),
    kafkitLingerMs: positive('linger-ms'),
    kafkitMaxInFlight: positive('max-in-flight'),
    kafkitMaxRequestBytes: positive('max-request-bytes'),
  })
  const brokerAfter = brokerCpuSeconds(pids)
  const childSeconds = (performance.now() - childStarted) / 1000
  const machine = contention()
  const offsets = await admin.fetchTopicOffsets(topic)
  const endOffsetSum = offsets.reduce((sum, p) => sum + Number(p.high), 0)
  await admin.deleteTopics({ topics: [topic] })
  const expected = warmupRecords + scenario.records
  if (result.acknowledged !== scenario.records || result.failed > 0 || endOffsetSum !== expected) {
    throw new Error(
      `${client} ${scenario.id} run ${run} is invalid: ${result.acknowledged} acknowledged, ${result.failed} failed (${result.firstError}), ${endOffsetSum} records in the topic, ${expected} expected`,
    )
  }
  const mb = (scenario.records * scenario.recordBytes) / MB
  const m: Measured = {
    ...result,
    run,
    recordsPerSecond: scenario.records / result.seconds,
    mbPerSecond: mb / result.seconds,
    cpuSecondsPerMb: result.cpuSeconds / mb,
    endOffsetSum,
  }
  if (brokerBefore !== undefined && brokerAfter !== undefined) {
    m.brokerCpuSecondsPerMb = (brokerAfter - brokerBefore) / ((expected * scenario.recordBytes) / MB)
    if (machine) {
      const capacity = childSeconds * cpus().length
      const others = (machine.othersPercent / 100) * capacity - result.processCpuSeconds - (brokerAfter - brokerBefore)
      m.othersPercent = Math.max(0, (others / capacity) * 100) + machine.stealPercent
    }
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
  await admin.disconnect()
  await cluster.stop()
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

const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model
const report = {
  startedAt: startedAt.toISOString(),
  kafka: process.env.KAFKA_BROKERS
    ? `external ${process.env.KAFKA_BROKERS}`
    : `Apache Kafka ${KAFKA_VERSION} from jars, 1 broker`,
  machine: { cpus: cpus().length, cpuModel, node: process.version },
  settings: { ...args, runs: RUNS, scale: SCALE, partitions: PARTITIONS },
  rows,
  runs: measured,
}
mkdirSync(join(benchDir, 'results'), { recursive: true })
const file = join(benchDir, 'results', `producer-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
console.log(
  `\n${report.kafka}; ${cpus().length} x ${cpuModel}, Node ${process.version}; broker and clients share the CPUs\n`,
)
console.log(table.join('\n'))
console.log(`\nwritten to ${file}`)
