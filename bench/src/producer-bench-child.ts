/**
 * One run of the producer benchmark, in a process of its own so that
 * `process.cpuUsage()` is the client's CPU and nothing else's. The parent
 * passes a RunConfig as JSON in argv[2]; the child connects, sends the
 * warm-up records, then measures sending the scenario's records until every
 * one is acknowledged, and prints the RunResult as `RESULT {json}`.
 */
import { cpuSecondsOf, reportResult } from './jar-bench.js'
import { openKafkajs } from './peers/kafkajs-producer-driver.js'
import { openKafkit } from './peers/kafkit-producer-driver.js'
import { type RunConfig, type RunResult, recordValues } from './producer-scenarios.js'

const config = JSON.parse(process.argv[2] ?? '') as RunConfig
const { scenario } = config
const values = recordValues(scenario.recordBytes)
const client = config.client === 'kafkit' ? await openKafkit(config) : await openKafkajs(config)

if (config.warmupRecords > 0) {
  const warm = await client.produce(config.warmupRecords, values)
  if (warm.failed > 0) throw new Error(`warm-up failed: ${warm.firstError}`)
}
const cpu = process.cpuUsage()
const started = performance.now()
const delivered = await client.produce(scenario.records, values)
const seconds = (performance.now() - started) / 1000
const used = process.cpuUsage(cpu)
await client.close()

const result: RunResult = {
  client: config.client,
  scenario: scenario.id,
  records: scenario.records,
  acknowledged: delivered.acknowledged,
  failed: delivered.failed,
  ...(delivered.firstError === undefined ? {} : { firstError: delivered.firstError }),
  seconds,
  cpuSeconds: cpuSecondsOf(used),
  processCpuSeconds: cpuSecondsOf(process.cpuUsage()),
}
reportResult(result)
