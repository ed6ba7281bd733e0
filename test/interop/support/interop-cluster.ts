import type { ApiName, RecordBatchHeader } from '@kafkit/protocol'
import {
  type EmbeddedControl,
  type KafkaTestCluster,
  startEmbeddedKafka,
  startJarCluster,
  TargetUnavailableError,
} from '@kafkit/testkit'
import { Kafka, logLevel } from 'kafkajs'
import { afterAll, afterEach } from 'vitest'
import { waitFor } from '../../integration/support/wait-for.js'
import { TrafficLog } from './traffic-log.js'

/**
 * The interop suite runs third-party clients against the embedded broker.
 * KAFKIT_INTEROP_TARGET=jar runs the same tests against Apache Kafka 4.1.1
 * from its jars instead: proof that what they expect is what Kafka does (the
 * checks that need the embedded broker's control API then skip).
 */
export type InteropTarget = 'embedded' | 'jar'

export interface InteropCluster {
  readonly target: InteropTarget
  readonly cluster: KafkaTestCluster
  /** Embedded target only: intercept requests, inspect the partition logs. */
  readonly control: EmbeddedControl | undefined
  /** PLAINTEXT bootstrap servers, comma-separated, as kcat and the Java tools take them. */
  readonly bootstrap: string
  /** Every request the brokers served (embedded target only), for routing checks and failure reports. */
  readonly traffic: TrafficLog
  /**
   * Creates a topic with `partitions` partitions, replicated on every broker
   * (up to 3), leaders spread over them; `configs` are topic configs such as
   * message.timestamp.type. The embedded cluster creates it directly in its
   * state, so tests of other APIs do not depend on CreateTopics.
   */
  createTopic(name: string, partitions: number, configs?: Record<string, string>): Promise<void>
}

export type InteropHandle =
  | { interop: InteropCluster; skipReason: undefined }
  | { interop: undefined; skipReason: string }

export function interopTarget(): InteropTarget {
  const named = process.env.KAFKIT_INTEROP_TARGET ?? 'embedded'
  if (named !== 'embedded' && named !== 'jar')
    throw new Error(`KAFKIT_INTEROP_TARGET="${named}": use embedded (the default) or jar`)
  return named
}

/**
 * Starts one cluster for a test file (call at the top level). On the embedded
 * target, a connection the broker closes because a request failed (an
 * unsupported version, a handler that threw) fails the test that was running,
 * with the broker's message; the traffic seen is printed when a test fails.
 */
export async function useInteropCluster(options: { brokers: number }): Promise<InteropHandle> {
  const target = interopTarget()
  const brokerErrors: string[] = []
  let cluster: KafkaTestCluster
  let control: EmbeddedControl | undefined
  try {
    if (target === 'embedded') {
      const embedded = await startEmbeddedKafka({
        brokers: options.brokers,
        onError: (message, error) => brokerErrors.push(`${message}: ${describe(error)}`),
      })
      cluster = embedded
      control = embedded.control
    } else {
      cluster = await startJarCluster({ nodes: options.brokers, security: true })
    }
  } catch (error) {
    if (!(error instanceof TargetUnavailableError)) throw error
    console.warn(`skipped: ${error.message}`)
    return { interop: undefined, skipReason: error.message }
  }
  const traffic = new TrafficLog(control)
  const bootstrap = cluster.bootstrapServers.join(',')
  const replication = Math.min(3, options.brokers)
  const interop: InteropCluster = {
    target,
    cluster,
    control,
    bootstrap,
    traffic,
    async createTopic(name, partitions, configs = {}) {
      if (control) {
        control.state.createTopic(name, partitions, replication, new Map(Object.entries(configs)))
        return
      }
      const admin = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING }).admin()
      await admin.connect()
      try {
        await admin.createTopics({
          topics: [
            {
              topic: name,
              numPartitions: partitions,
              replicationFactor: replication,
              configEntries: Object.entries(configs).map(([key, value]) => ({ name: key, value })),
            },
          ],
          waitForLeaders: false,
        })
        // Every broker must know every leader before a client starts, or its first requests bounce.
        await waitFor(`${name} has a leader for each partition`, async () => {
          const [topic] = (await admin.fetchTopicMetadata({ topics: [name] })).topics
          return topic?.partitions.length === partitions && topic.partitions.every((p) => p.leader >= 0)
            ? true
            : undefined
        })
      } finally {
        await admin.disconnect()
      }
    },
  }

  let failed = false
  afterEach((context) => {
    const errors = brokerErrors.splice(0)
    const state = context.task.result?.state
    if (state === 'fail' || errors.length > 0) {
      failed = true
      console.warn(`[${context.task.name}] requests served:\n${traffic.summary()}`)
    }
    traffic.clear()
    if (errors.length > 0)
      throw new Error(`the embedded broker closed connections after failed requests:\n${errors.join('\n')}`)
  })
  afterAll(async () => {
    traffic.stop()
    await cluster.stop({ keepFiles: failed })
    if (failed && cluster.dir) console.warn(`a test failed: broker logs kept in ${cluster.dir}`)
  })
  return { interop, skipReason: undefined }
}

/**
 * Fails with a clear message when the embedded broker does not serve an API a
 * client needs (the broker is still growing; a missing API is a failure of
 * the broker, not a reason to skip).
 */
export function requireApis(interop: InteropCluster, apis: readonly ApiName[]): void {
  if (!interop.control) return
  const served = new Set(interop.control.supportedApis().map((entry) => entry.api))
  const missing = apis.filter((api) => !served.has(api))
  if (missing.length > 0)
    throw new Error(
      `the embedded broker does not implement ${missing.join(', ')} (it serves ${[...served].join(', ')})`,
    )
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message
  return String(error)
}

/** The batches each partition of `topic` holds (embedded target), with their decoded headers. */
export function storedBatches(
  control: EmbeddedControl,
  topic: string,
): { partition: number; header: RecordBatchHeader }[] {
  const state = control.state.topics.get(topic)
  if (!state) throw new Error(`the embedded cluster has no topic ${topic}`)
  return state.partitions.flatMap((p) =>
    p.log.storedBatches.map((batch) => ({ partition: p.partition, header: batch.header })),
  )
}
