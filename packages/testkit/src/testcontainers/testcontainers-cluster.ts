import type { KafkaTestCluster } from '../kafka-cluster.js'
import { TargetUnavailableError } from '../target-unavailable.js'

/** Confluent Platform 8.1 ships Apache Kafka 4.1; @testcontainers/kafka's KafkaContainer is built for its images. */
export const DEFAULT_TESTCONTAINERS_IMAGE = 'confluentinc/cp-kafka:8.1.0'

/**
 * Kafka in a container started by testcontainers (`@testcontainers/kafka`, an
 * optional peer dependency). On a machine without a Docker engine this fails
 * with TargetUnavailableError, which tests turn into a skip with its reason.
 */
export async function startTestcontainersCluster(image = DEFAULT_TESTCONTAINERS_IMAGE): Promise<KafkaTestCluster> {
  const testcontainers = await import('testcontainers').catch(() => undefined)
  const kafkaModule = await import('@testcontainers/kafka').catch(() => undefined)
  if (!testcontainers || !kafkaModule) {
    throw new TargetUnavailableError('testcontainers', 'install testcontainers and @testcontainers/kafka (^11)')
  }
  try {
    await testcontainers.getContainerRuntimeClient()
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new TargetUnavailableError('testcontainers', `no Docker engine (${detail})`)
  }
  const container = await new kafkaModule.KafkaContainer(image).withKraft().start()
  const bootstrapServers = [`${container.getHost()}:${container.getMappedPort(9093)}`]
  const stop = async () => {
    await container.stop()
  }
  return {
    target: 'testcontainers',
    bootstrapServers,
    listeners: { PLAINTEXT: { securityProtocol: 'PLAINTEXT', bootstrapServers } },
    stop,
    [Symbol.asyncDispose]: stop,
  }
}
