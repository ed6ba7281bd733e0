/**
 * What the client-against-kafkajs benchmarks on real Apache Kafka share
 * (producer-bench.ts, consumer-bench.ts): one broker started from the jars,
 * topics created until every partition has a leader, one child process per
 * run (so `process.cpuUsage()` is that client's CPU alone) with the broker's
 * and other processes' CPU over the child's life, medians, and the results
 * file.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KAFKA_VERSION, startKafka } from '@kafkit/testkit'
import kafkajs from 'kafkajs'
import { brokerCpuSeconds, brokerPids } from './broker-cpu.js'
import { watchContention } from './contention.js'

export const MB = 1_000_000
export const benchSrc = dirname(fileURLToPath(import.meta.url))
export const benchDir = join(benchSrc, '..')

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** What every child prints: its CPU over its whole life, to attribute the machine's CPU. */
export interface ChildResult {
  processCpuSeconds: number
}

export interface Attributed<R> {
  result: R
  /** CPU seconds of the broker (jar cluster only) over the whole child run, connect and warm-up included. */
  brokerCpuSeconds?: number
  /**
   * Share of the machine's CPU time that neither the child, its broker nor
   * the benchmark used during the child's life (other processes, steal): runs
   * where it is high were disturbed.
   */
  othersPercent?: number
}

/** What the report gives for one run of a client. */
export interface RunRates {
  run: number
  recordsPerSecond: number
  mbPerSecond: number
  cpuSecondsPerMb: number
  /** CPU seconds of the broker (jar cluster only) over the whole child run, connect and warm-up included, per MB. */
  brokerCpuSecondsPerMb?: number
  /** Others' share of the CPUs during the child's life: runs where it is high were disturbed. */
  othersPercent?: number
}

/**
 * Rates of a run that moved `records` records of `recordBytes` in its
 * measured phase, while the broker handled `brokerRecords` over the child's life.
 */
export function ratesOf(
  run: number,
  attributed: Attributed<ChildResult & { seconds: number; cpuSeconds: number }>,
  records: number,
  recordBytes: number,
  brokerRecords = records,
): RunRates {
  const { result, brokerCpuSeconds, othersPercent } = attributed
  const mb = (records * recordBytes) / MB
  const rates: RunRates = {
    run,
    recordsPerSecond: records / result.seconds,
    mbPerSecond: mb / result.seconds,
    cpuSecondsPerMb: result.cpuSeconds / mb,
  }
  if (brokerCpuSeconds !== undefined)
    rates.brokerCpuSecondsPerMb = brokerCpuSeconds / ((brokerRecords * recordBytes) / MB)
  if (othersPercent !== undefined) rates.othersPercent = othersPercent
  return rates
}

export async function startJarBench() {
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

  /** Creates a topic and waits until every partition has a leader (kafkajs's own wait gives up on a busy machine). */
  async function createTopic(topic: string, partitions: number): Promise<void> {
    const deadline = performance.now() + 60_000
    for (;;) {
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] })
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
        const found = topics[0]?.partitions ?? []
        if (found.length === partitions && found.every((p) => p.leader >= 0)) return
      } catch (error) {
        if (performance.now() > deadline) throw error
      }
      if (performance.now() > deadline) throw new Error(`topic ${topic} has no leaders after 60 s`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  /** Runs one child and attributes the machine's CPU over its life to it, the broker and the others. */
  async function attribute<R extends ChildResult>(run: () => Promise<R>): Promise<Attributed<R>> {
    const brokerBefore = brokerCpuSeconds(pids)
    const contention = watchContention()
    const started = performance.now()
    const result = await run()
    const brokerAfter = brokerCpuSeconds(pids)
    const childSeconds = (performance.now() - started) / 1000
    const machine = contention()
    const attributed: Attributed<R> = { result }
    if (brokerBefore === undefined || brokerAfter === undefined) return attributed
    attributed.brokerCpuSeconds = brokerAfter - brokerBefore
    if (machine) {
      const capacity = childSeconds * cpus().length
      const others = (machine.othersPercent / 100) * capacity - result.processCpuSeconds - attributed.brokerCpuSeconds
      attributed.othersPercent = Math.max(0, (others / capacity) * 100) + machine.stealPercent
    }
    return attributed
  }

  const stop = async () => {
    await admin.disconnect()
    await cluster.stop()
  }
  return { brokers, admin, createTopic, attribute, stop }
}

/**
 * Runs `script` (a file of bench/src) in a child process with `config` as JSON
 * in argv[2] and resolves with the `RESULT {json}` line it prints. With
 * `cpuProf`, the child writes V8 CPU profiles to `cpuProf/name/`, one per
 * thread (tsx loads modules on a thread of its own; the largest file is the
 * main thread's).
 */
export function runChild<R>(script: string, config: object, name: string, cpuProf: string | undefined): Promise<R> {
  const profile = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(cpuProf, name)}`] : []
  const child = spawn(
    process.execPath,
    [...profile, '--conditions=@kafkit/source', '--import', 'tsx', join(benchSrc, script), JSON.stringify(config)],
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
      if (code !== 0 || !line) reject(new Error(`${name} exited ${code}: ${stdout}`))
      else resolve(JSON.parse(line.slice('RESULT '.length)) as R)
    })
  })
}

/** The child's side: prints the result line runChild() waits for. */
export function reportResult(result: object): void {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
}

export function cpuSecondsOf(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6
}

/** The first fields of a results file: when, which Kafka, which machine. */
export function reportHead(startedAt: Date) {
  const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model
  return {
    startedAt: startedAt.toISOString(),
    kafka: process.env.KAFKA_BROKERS
      ? `external ${process.env.KAFKA_BROKERS}`
      : `Apache Kafka ${KAFKA_VERSION} from jars, 1 broker`,
    machine: { cpus: cpus().length, cpuModel, node: process.version },
  }
}

/** Writes the report to bench/results/<kind>-<time>.json and returns the file's path. */
export function writeResults(kind: string, startedAt: Date, report: object): string {
  mkdirSync(join(benchDir, 'results'), { recursive: true })
  const file = join(benchDir, 'results', `${kind}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  return file
}
