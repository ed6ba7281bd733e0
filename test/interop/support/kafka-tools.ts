import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { TargetUnavailableError } from '@kafkit/testkit'
import { kafkaJarsDir } from '../../../packages/testkit/src/jar/kafka-jars.js'

/**
 * Apache Kafka's own command-line tools (ProducerPerformance,
 * ConsumerPerformance), run from the jars the jar harness downloads:
 * `java -cp '<libs>/*' org.apache.kafka.tools.<Tool>`.
 */
export type KafkaToolsAvailability = { dir: string; reason: undefined } | { dir: undefined; reason: string }

export async function kafkaToolsAvailability(): Promise<KafkaToolsAvailability> {
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).error)
    return { dir: undefined, reason: "java is not on the PATH (Kafka's tools need Java 17+)" }
  try {
    return { dir: await kafkaJarsDir(), reason: undefined }
  } catch (error) {
    if (error instanceof TargetUnavailableError) return { dir: undefined, reason: error.reason }
    return { dir: undefined, reason: `the Kafka jars could not be fetched: ${(error as Error).message}` }
  }
}

export interface ToolResult {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs one of Kafka's tools and resolves when it exits (killed after
 * `timeoutMs`): `tool` is a class of `org.apache.kafka.tools` ('ProducerPerformance',
 * 'consumer.group.ConsumerGroupCommand') or a fully qualified one ('kafka.admin.ConfigCommand').
 */
export function runKafkaTool(
  libs: string,
  tool: string,
  args: readonly string[],
  timeoutMs = 300_000,
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-Xmx512m', '-XX:+UseSerialGC', '-cp', join(libs, '*'), mainClass(tool), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8')
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-20_000)
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

function mainClass(tool: string): string {
  return tool.startsWith('kafka.') || tool.startsWith('org.') ? tool : `org.apache.kafka.tools.${tool}`
}

/** Runs a tool and returns its stdout, failing with its output when it exits non-zero. */
export async function runKafkaToolChecked(libs: string, tool: string, args: readonly string[]): Promise<string> {
  const result = await runKafkaTool(libs, tool, args)
  if (result.code !== 0) throw new Error(`${tool} exited with ${result.code}:\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

export interface ProducerPerformanceSummary {
  records: number
  recordsPerSec: number
  mbPerSec: number
  avgLatencyMs: number
  maxLatencyMs: number
}

/**
 * The final line of ProducerPerformance: "200000 records sent, 51203.3 records/sec
 * (4.88 MB/sec), 251.12 ms avg latency, 801.00 ms max latency, 231 ms 50th, ...".
 */
export function parseProducerPerformance(stdout: string): ProducerPerformanceSummary {
  const pattern =
    /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, .*50th/m
  const match = pattern.exec(stdout)
  if (!match) throw new Error(`no ProducerPerformance summary in its output:\n${stdout.slice(-3000)}`)
  const [records, recordsPerSec, mbPerSec, avgLatencyMs, maxLatencyMs] = match.slice(1).map(Number) as number[]
  return {
    records: records!,
    recordsPerSec: recordsPerSec!,
    mbPerSec: mbPerSec!,
    avgLatencyMs: avgLatencyMs!,
    maxLatencyMs: maxLatencyMs!,
  }
}

/**
 * ConsumerPerformance's table: a header line ("start.time, end.time,
 * data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...") and a line
 * of values, returned by column name.
 */
export function parseConsumerPerformance(stdout: string): Record<string, string> {
  const lines = stdout.split('\n').map((line) => line.trim())
  const headerAt = lines.findIndex((line) => line.startsWith('start.time,'))
  const values = headerAt >= 0 ? lines[headerAt + 1] : undefined
  if (!values) throw new Error(`no ConsumerPerformance table in its output:\n${stdout.slice(-3000)}`)
  const names = lines[headerAt]!.split(',').map((name) => name.trim())
  const cells = values.split(',').map((cell) => cell.trim())
  return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']))
}

/**
 * The table of `ConsumerGroupCommand --describe`: a header line ("GROUP TOPIC
 * PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID") and a
 * row per partition, returned by column name.
 */
export function parseConsumerGroupDescription(stdout: string): Record<string, string>[] {
  const lines = stdout.split('\n').map((line) => line.trim())
  const headerAt = lines.findIndex((line) => line.startsWith('GROUP ') && line.includes('PARTITION'))
  if (headerAt < 0) throw new Error(`no consumer group table in the output:\n${stdout.slice(-3000)}`)
  const names = lines[headerAt]!.split(/\s+/)
  const rows: Record<string, string>[] = []
  for (const line of lines.slice(headerAt + 1)) {
    if (line === '') break
    const cells = line.split(/\s+/)
    rows.push(Object.fromEntries(names.map((name, i) => [name, cells[i] ?? ''])))
  }
  return rows
}

export interface DescribedPartition {
  partition: number
  leader: number
  replicas: number[]
  isr: number[]
}

/**
 * The partition lines of `TopicCommand --describe`:
 * "Topic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3\t...".
 */
export function parseTopicDescription(stdout: string): { partitionCount: number; partitions: DescribedPartition[] } {
  const count = /PartitionCount:\s*(\d+)/.exec(stdout)
  if (!count) throw new Error(`no topic description in the output:\n${stdout.slice(-3000)}`)
  const ids = (text: string | undefined) => (text ? text.split(',').filter(Boolean).map(Number) : [])
  const partitions = [
    ...stdout.matchAll(/Partition:\s*(\d+)\s+Leader:\s*(-?\d+)\s+Replicas:\s*([\d,]*)\s+Isr:\s*([\d,]*)/g),
  ].map((m) => ({ partition: Number(m[1]), leader: Number(m[2]), replicas: ids(m[3]), isr: ids(m[4]) }))
  return { partitionCount: Number(count[1]), partitions }
}

/** ProducerPerformance writing `records` records of `recordBytes` to `topic` as fast as it can, with extra producer props. */
export async function producerPerformance(
  libs: string,
  options: { bootstrap: string; topic: string; records: number; recordBytes: number; props?: readonly string[] },
): Promise<ProducerPerformanceSummary> {
  const stdout = await runKafkaToolChecked(libs, 'ProducerPerformance', [
    '--topic',
    options.topic,
    '--num-records',
    String(options.records),
    '--record-size',
    String(options.recordBytes),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${options.bootstrap}`,
    ...(options.props ?? []),
  ])
  return parseProducerPerformance(stdout)
}

/** ConsumerPerformance reading `records` records of `topic` with a group named after the topic. */
export async function consumerPerformance(
  libs: string,
  options: { bootstrap: string; topic: string; records: number },
): Promise<Record<string, string>> {
  const stdout = await runKafkaToolChecked(libs, 'ConsumerPerformance', [
    '--bootstrap-server',
    options.bootstrap,
    '--topic',
    options.topic,
    '--messages',
    String(options.records),
    '--group',
    `group-${options.topic}`,
    '--timeout',
    '30000',
  ])
  return parseConsumerPerformance(stdout)
}
