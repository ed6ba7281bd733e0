/**
 * One run of the consumer benchmark, in a process of its own so that
 * `process.cpuUsage()` is the client's CPU and nothing else's. The parent
 * passes a ConsumerRunConfig as JSON in argv[2]; the child joins a fresh
 * group, consumes the topic from the beginning until it has seen every
 * record, and prints the ConsumerRunResult as `RESULT {json}`. The clock and
 * the CPU count start at the first message, so joining the group is not
 * measured (it is reported as firstMessageSeconds).
 */
import { type ConsumerRunConfig, type ConsumerRunResult, Tally } from './consumer-scenarios.js'
import { cpuSecondsOf, reportResult } from './jar-bench.js'
import { consumeWithKafkajs } from './peers/kafkajs-consumer-driver.js'
import { consumeWithKafkit } from './peers/kafkit-consumer-driver.js'

const config = JSON.parse(process.argv[2] ?? '') as ConsumerRunConfig
const subscribed = performance.now()
let started = 0
let cpu = process.cpuUsage()
const tally = new Tally(config.partitionRecords, () => {
  started = performance.now()
  cpu = process.cpuUsage()
})
const close =
  config.client === 'kafkit' ? await consumeWithKafkit(config, tally) : await consumeWithKafkajs(config, tally)
// A client that never delivers the last records fails the run instead of hanging it.
const timeout = setTimeout(() => {
  process.stderr.write(`${config.client} ${config.mode}: ${tally.records} of ${tally.expected} records after 600 s\n`)
  process.exit(1)
}, 600_000)
await tally.done
clearTimeout(timeout)
const seconds = (performance.now() - started) / 1000
const used = process.cpuUsage(cpu)
await close()

const result: ConsumerRunResult = {
  client: config.client,
  mode: config.mode,
  records: tally.records,
  valueBytes: tally.valueBytes,
  partitionCounts: tally.counts,
  lastOffsets: tally.lastOffsets,
  ...(tally.firstError === undefined ? {} : { firstError: tally.firstError }),
  seconds,
  firstMessageSeconds: (started - subscribed) / 1000,
  cpuSeconds: cpuSecondsOf(used),
  systemCpuSeconds: used.system / 1e6,
  processCpuSeconds: cpuSecondsOf(process.cpuUsage()),
}
reportResult(result)
// kafkajs can keep timers alive after disconnect; the result is out.
process.exit(0)
