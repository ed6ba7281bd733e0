/**
 * The embedded broker (@kafkit/testkit): how long a three-broker cluster takes
 * to start (the aim is under 100 ms), and how fast kafkajs 2.2.4 produces then
 * consumes a million 100-byte records through it.
 *
 * Client and brokers share this one process (and its one event loop), so the
 * CPU time per MB is the sum of both: kafkajs encoding, the broker validating
 * and storing, kafkajs decoding. It is an upper bound on what the broker costs
 * a test suite, not a figure for the broker alone.
 *
 * The producer sends 1,000 records per send(): kafkajs groups a send's
 * messages by partition with a copy per message (quadratic), so 10,000 per
 * send runs a third slower, all of it in kafkajs. More sends in flight do not
 * help: client and brokers already keep the one thread busy.
 *
 *   pnpm bench:embedded [--records 1000000] [--record-bytes 100] [--starts 21] [--partitions 6]
 *                       [--per-send 1000] [--in-flight 1] [--only startup|throughput]
 */
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { startEmbeddedKafka } from '@kafkit/testkit'
import kafkajs from 'kafkajs'
import { watchContention } from './contention.js'

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    'record-bytes': { type: 'string', default: '100' },
    starts: { type: 'string', default: '21' },
    partitions: { type: 'string', default: '6' },
    'per-send': { type: 'string', default: '1000' },
    'in-flight': { type: 'string', default: '1' },
    only: { type: 'string' },
  },
})
const RECORDS = Number(args.records)
const RECORD_BYTES = Number(args['record-bytes'])
const STARTS = Number(args.starts)
const PARTITIONS = Number(args.partitions)
const PER_SEND = Number(args['per-send'])
const IN_FLIGHT = Number(args['in-flight'])
const MB = 1_000_000

const { Kafka, logLevel, Partitioners } = kafkajs

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Milliseconds from startEmbeddedKafka() to a cluster whose listeners accept connections, and to a stopped one. */
async function startUp(security: boolean): Promise<{ first: number; starts: number[]; stops: number[] }> {
  const starts: number[] = []
  const stops: number[] = []
  for (let i = 0; i < STARTS; i++) {
    const started = performance.now()
    const cluster = await startEmbeddedKafka({ brokers: 3, security })
    const ready = performance.now()
    await cluster.stop()
    stops.push(performance.now() - ready)
    starts.push(ready - started)
  }
  // The first start of the process pays for loading TLS material and JIT warm-up: reported apart.
  return { first: starts[0]!, starts: starts.slice(1), stops: stops.slice(1) }
}

interface Phase {
  seconds: number
  cpuSeconds: number
}

function measure(): () => Phase {
  const cpu = process.cpuUsage()
  const started = performance.now()
  return () => {
    const used = process.cpuUsage(cpu)
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 }
  }
}

async function throughput() {
  const cluster = await startEmbeddedKafka({ brokers: 3, security: false })
  const topic = 'bench-embedded'
  cluster.control.state.createTopic(topic, PARTITIONS, 3)
  const kafka = new Kafka({ clientId: 'bench-embedded', brokers: cluster.bootstrapServers, logLevel: logLevel.ERROR })
  const value = Buffer.alloc(RECORD_BYTES, 0x61)
  const messages = Array.from({ length: PER_SEND }, () => ({ value }))

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  const produceDone = measure()
  let next = 0
  // IN_FLIGHT senders share the records; each awaits its send() before the next.
  const sender = async () => {
    while (next < RECORDS) {
      const count = Math.min(PER_SEND, RECORDS - next)
      next += count
      await producer.send({ topic, acks: -1, messages: count === PER_SEND ? messages : messages.slice(0, count) })
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, sender))
  const produce = produceDone()
  await producer.disconnect()
  const stored = cluster.control.state.topics.get(topic)!.partitions.reduce((n, p) => n + Number(p.log.logEndOffset), 0)
  if (stored !== RECORDS) throw new Error(`the broker holds ${stored} records, ${RECORDS} were produced`)

  const consumer = kafka.consumer({ groupId: 'bench-embedded', maxBytesPerPartition: 4 * 1024 * 1024 })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  let received = 0
  let joinedAt = 0
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joinedAt ||= performance.now()
  })
  const consumeDone = measure()
  const consumeStarted = performance.now()
  const all = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        received += batch.messages.length
        if (received >= RECORDS) resolve()
      },
    })
  })
  await all
  const consume = consumeDone()
  await consumer.disconnect()
  await cluster.stop()
  if (received !== RECORDS) throw new Error(`consumed ${received} records, ${RECORDS} were produced`)
  return { produce, consume, joinMs: joinedAt - consumeStarted }
}

const contention = watchContention()
const startUps = args.only === 'throughput' ? undefined : { secure: await startUp(true), plain: await startUp(false) }
const run = args.only === 'startup' ? undefined : await throughput()
const others = contention()

const cpu = cpus()
console.log(
  `Node ${process.version}, ${process.platform}, ${cpu.length} × ${cpu[0]?.model.trim()}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB` +
    (others
      ? `; other processes used ${others.othersPercent.toFixed(1)}% of the CPUs, steal ${others.stealPercent.toFixed(1)}%`
      : ''),
)
if (startUps) printStartUps(startUps.secure, startUps.plain)
if (run) printThroughput(run)

function printStartUps(secure: Awaited<ReturnType<typeof startUp>>, plain: Awaited<ReturnType<typeof startUp>>) {
  console.log(
    `\nStart-up of a three-broker cluster (${STARTS - 1} starts after a first one, each followed by stop()):\n`,
  )
  console.log('| listeners | first start (ms) | median start (ms) | min (ms) | max (ms) | median stop (ms) |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const [name, result] of [
    ['PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL (default)', secure],
    ['PLAINTEXT only (`security: false`)', plain],
  ] as const) {
    console.log(
      `| ${name} | ${result.first.toFixed(1)} | ${median(result.starts).toFixed(1)} | ${Math.min(...result.starts).toFixed(1)} | ` +
        `${Math.max(...result.starts).toFixed(1)} | ${median(result.stops).toFixed(1)} |`,
    )
  }
}

function printThroughput(run: Awaited<ReturnType<typeof throughput>>) {
  const payloadMB = (RECORDS * RECORD_BYTES) / MB
  console.log(
    `\nkafkajs 2.2.4 through a three-broker cluster: ${RECORDS.toLocaleString('en')} records of ${RECORD_BYTES} B ` +
      `(${payloadMB} MB of values), ${PARTITIONS} partitions, no compression, acks=all, ${PER_SEND} records per send(), ` +
      `${IN_FLIGHT} send() in flight:\n`,
  )
  console.log('| phase | seconds | records/s | MB/s (values) | CPU s (client + broker) | CPU ms per MB |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const [name, phase] of [
    ['produce', run.produce],
    ['consume (group join included)', run.consume],
  ] as const) {
    console.log(
      `| ${name} | ${phase.seconds.toFixed(2)} | ${Math.round(RECORDS / phase.seconds).toLocaleString('en')} | ` +
        `${(payloadMB / phase.seconds).toFixed(1)} | ${phase.cpuSeconds.toFixed(2)} | ${((phase.cpuSeconds * 1000) / payloadMB).toFixed(1)} |`,
    )
  }
  console.log(`\nThe consumer joined its group ${run.joinMs.toFixed(0)} ms after run().`)
}
