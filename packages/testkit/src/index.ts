/**
 * @kafkit/testkit: a Kafka broker for tests behind one `startKafka()`: real
 * Apache Kafka from its jars, a testcontainers Kafka, or an external cluster.
 */
export { DEFAULT_SASL_USERS, type JarClusterOptions, startJarCluster } from './jar/jar-cluster.js'
export { KAFKA_VERSION } from './jar/kafka-jars.js'
export * from './kafka-cluster.js'
export { type StartKafkaOptions, selectedTarget, startKafka } from './start-kafka.js'
export { TargetUnavailableError } from './target-unavailable.js'
export { DEFAULT_TESTCONTAINERS_IMAGE } from './testcontainers/testcontainers-cluster.js'
