/**
 * @kafkit/testkit: a Kafka broker for tests behind one `startKafka()`: real
 * Apache Kafka from its jars, a testcontainers Kafka, or an external cluster.
 */

export type { InterceptAction, InterceptOptions, Interceptor } from './embedded/control/interceptors.js'
export {
  type EmbeddedControl,
  type EmbeddedKafka,
  type EmbeddedKafkaOptions,
  startEmbeddedKafka,
} from './embedded/embedded-kafka.js'
export type { Handler, RequestContext } from './embedded/handler.js'
export type { AuthorizerOptions } from './embedded/security/authorizer.js'
export type { ClusterState, PartitionState, TopicState } from './embedded/state/cluster-state.js'
export { loadClusterData, saveClusterData } from './embedded/state/persistence.js'
export { DEFAULT_SASL_USERS, type JarClusterOptions, startJarCluster } from './jar/jar-cluster.js'
export { KAFKA_VERSION } from './jar/kafka-jars.js'
export * from './kafka-cluster.js'
export { type StartKafkaOptions, selectedTarget, startKafka } from './start-kafka.js'
export { TargetUnavailableError } from './target-unavailable.js'
export { DEFAULT_TESTCONTAINERS_IMAGE } from './testcontainers/testcontainers-cluster.js'
