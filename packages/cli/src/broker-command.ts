import { parseArgs } from 'node:util'
import { type EmbeddedKafka, loadClusterData, saveClusterData, startEmbeddedKafka } from '@kafkit/testkit'

export const BROKER_USAGE = `usage: kafkit broker [--port <p>] [--brokers <n>] [--data-dir <dir>] [--partitions <n>]

Runs an embedded Kafka cluster on 127.0.0.1 until interrupted (Ctrl-C).
  --port        PLAINTEXT port of the first broker; the others take the next ports (default: chosen by the OS)
  --brokers     number of brokers (default 1)
  --data-dir    keep topics and records in this folder across restarts (default: in memory only)
  --partitions  partitions of auto-created topics (default 1)`

export interface BrokerCommandOptions {
  port: number | undefined
  brokers: number
  dataDir: string | undefined
  partitions: number
}

/** Parses the arguments of `kafkit broker`, failing with a message that says what to change. */
export function parseBrokerArgs(args: string[]): BrokerCommandOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      brokers: { type: 'string', default: '1' },
      'data-dir': { type: 'string' },
      partitions: { type: 'string', default: '1' },
    },
    strict: true,
  })
  const integer = (name: string, text: string | undefined, min: number, max: number): number => {
    const value = Number(text)
    if (!Number.isInteger(value) || value < min || value > max)
      throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${text}"`)
    return value
  }
  return {
    port: values.port === undefined ? undefined : integer('port', values.port, 1, 65535),
    brokers: integer('brokers', values.brokers, 1, 32),
    dataDir: values['data-dir'],
    partitions: integer('partitions', values.partitions, 1, 10_000),
  }
}

/** Starts the cluster, restoring and then keeping its data in `dataDir` when given. */
export async function runBroker(options: BrokerCommandOptions, log: (line: string) => void): Promise<EmbeddedKafka> {
  const kafka = await startEmbeddedKafka({
    brokers: options.brokers,
    ports:
      options.port === undefined ? undefined : Array.from({ length: options.brokers }, (_, i) => options.port! + i),
    defaultPartitions: options.partitions,
    security: false,
  })
  if (options.dataDir) {
    const restored = await loadClusterData(kafka.control.state, options.dataDir)
    log(`data dir ${options.dataDir}: restored ${restored} topic(s)`)
  }
  log(`kafkit embedded Kafka: ${options.brokers} broker(s), bootstrap servers ${kafka.bootstrapServers.join(',')}`)
  return kafka
}

export async function stopBroker(kafka: EmbeddedKafka, dataDir: string | undefined): Promise<void> {
  if (dataDir) await saveClusterData(kafka.control.state, dataDir)
  await kafka.stop()
}
