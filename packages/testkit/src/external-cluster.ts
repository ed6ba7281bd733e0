import type { KafkaTestCluster } from './kafka-cluster.js'

/**
 * A cluster someone else runs, named by KAFKA_BROKERS ("host:port,host:port").
 * kafkit reaches it over PLAINTEXT and never stops it.
 */
export function externalCluster(brokers: string): KafkaTestCluster {
  const bootstrapServers = brokers
    .split(',')
    .map((server) => server.trim())
    .filter((server) => server.length > 0)
  if (bootstrapServers.length === 0)
    throw new Error('KAFKA_BROKERS is set but names no broker: use host:port[,host:port]')
  return {
    target: 'external',
    bootstrapServers,
    listeners: { PLAINTEXT: { securityProtocol: 'PLAINTEXT', bootstrapServers } },
    stop: async () => {},
    [Symbol.asyncDispose]: async () => {},
  }
}
