/**
 * What the examples share: the Kafka cluster they run against (kafkit's embedded
 * broker, or the cluster KAFKA_BROKERS names, so one script works on a laptop
 * and against production-like clusters alike) and a bounded wait.
 */
import { type KafkaTestCluster, startKafka } from '@kafkit/testkit'

/** How long an example waits for something to happen before it gives up. */
export const DEADLINE_MS = 60_000

/** Starts the cluster and prints the example's first line: what runs where. */
export async function startExampleCluster(title: string): Promise<KafkaTestCluster> {
  // KAFKIT_TARGET is for the test suites: an example is embedded unless pointed at a cluster.
  const cluster = await startKafka({ target: process.env.KAFKA_BROKERS ? 'external' : 'embedded' })
  const where = process.env.KAFKA_BROKERS ? `the cluster at ${process.env.KAFKA_BROKERS}` : 'an embedded broker'
  console.log(`${title} on ${where} (${cluster.bootstrapServers.join(', ')})`)
  return cluster
}

/** Polls a condition until it holds, or fails after DEADLINE_MS saying what it waited for. */
export async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + DEADLINE_MS
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`gave up after ${DEADLINE_MS} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
