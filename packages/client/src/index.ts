/**
 * @kafkit/client: the network core of kafkit: connections (TCP, TLS), version
 * negotiation, SASL, cluster metadata, routing, coordinators and retries.
 */

export { FrameReader } from '@kafkit/protocol'
export { BrokerApiVersions, type VersionRange } from './api-versions.js'
export { type ClientOptions, KafkaClient } from './client.js'
export { type BrokerAddress, parseBrokerAddress } from './cluster/broker-address.js'
export { Cluster, type ClusterConfig, type MetadataRequestOptions } from './cluster/cluster.js'
export type { CoordinatorType } from './cluster/coordinators.js'
export { type BrokerNode, MetadataCache, type PartitionMetadata, type TopicMetadata } from './cluster/metadata-cache.js'
export { isCoordinatorMovedCode, isStaleMetadataCode, isStaleMetadataError } from './cluster/stale-metadata.js'
export { BrokerConnection, type RequestBody, type RequestOptions } from './connection.js'
export * from './errors.js'
export * from './instrumentation.js'
export * from './logger.js'
export type { ApiMetrics, MetricsSnapshot } from './metrics.js'
export type { TlsOptions } from './options.js'
export { backoffMs, type RetryOptions, withRetries } from './retry.js'
export type { SaslExchange, SaslMechanism } from './sasl/sasl-mechanism.js'
export type * from './sasl/sasl-options.js'
export { KAFKIT_VERSION } from './version.js'
