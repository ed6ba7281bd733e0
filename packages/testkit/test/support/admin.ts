import { KafkaClient } from '@kafkit/client'
import {
  type AlterConfigsResponseAlterConfigsResourceResponse,
  type CreateTopicsRequestCreatableTopic,
  type CreateTopicsResponse,
  createAlterConfigsRequest,
  createCreateTopicsRequest,
  createCreateTopicsRequestCreatableTopic,
  createDescribeConfigsRequest,
  createIncrementalAlterConfigsRequest,
  type DescribeConfigsResponseDescribeConfigsResourceResult,
  type DescribeConfigsResponseDescribeConfigsResult,
  type IncrementalAlterConfigsResponseAlterConfigsResourceResponse,
} from '@kafkit/protocol'
import { afterAll, beforeAll } from 'vitest'
import { type EmbeddedKafka, type EmbeddedKafkaOptions, startEmbeddedKafka } from '../../src/embedded/embedded-kafka.js'

/** One embedded cluster and a connected client for the tests of a file. */
export interface AdminCluster {
  kafka: EmbeddedKafka
  client: KafkaClient
}

export function useAdminCluster(options: EmbeddedKafkaOptions = {}): AdminCluster {
  const cluster = {} as AdminCluster
  beforeAll(async () => {
    cluster.kafka = await startEmbeddedKafka({ brokers: 3, security: false, ...options })
    cluster.client = new KafkaClient({ brokers: cluster.kafka.bootstrapServers, requestTimeoutMs: 5000 })
    await cluster.client.connect()
  })
  afterAll(async () => {
    await cluster.client?.close()
    await cluster.kafka?.stop()
  })
  return cluster
}

let topics = 0
/** A topic name no other test of the run uses. */
export function freshTopic(prefix = 'admin'): string {
  return `${prefix}-${++topics}`
}

export function creatable(
  name: string,
  init: Partial<CreateTopicsRequestCreatableTopic> = {},
): CreateTopicsRequestCreatableTopic {
  return createCreateTopicsRequestCreatableTopic({ name, numPartitions: -1, replicationFactor: -1, ...init })
}

export async function createTopics(
  client: KafkaClient,
  topics: CreateTopicsRequestCreatableTopic[],
  options: { validateOnly?: boolean; version?: number; timeoutMs?: number } = {},
): Promise<CreateTopicsResponse> {
  const body = createCreateTopicsRequest({
    topics,
    timeoutMs: options.timeoutMs ?? 10_000,
    validateOnly: options.validateOnly ?? false,
  })
  return client.cluster.requestAny('CreateTopics', body, options.version ? { version: options.version } : {})
}

/** Creates one topic and fails the test if Kafka would not. */
export async function createTopic(
  client: KafkaClient,
  name: string,
  init: Partial<CreateTopicsRequestCreatableTopic> = {},
): Promise<void> {
  const response = await createTopics(client, [creatable(name, init)])
  const result = response.topics[0]
  if (result?.errorCode !== 0) throw new Error(`creating ${name} failed: ${JSON.stringify(result)}`)
}

export interface DescribeOptions {
  keys?: string[] | null
  includeSynonyms?: boolean
  version?: number
}

/** DescribeConfigs of one resource, sent to broker `nodeId` (broker resources must go to their broker). */
export async function describeConfigs(
  client: KafkaClient,
  nodeId: number,
  resourceType: number,
  resourceName: string,
  options: DescribeOptions = {},
): Promise<DescribeConfigsResponseDescribeConfigsResult> {
  const body = createDescribeConfigsRequest({
    resources: [{ resourceType, resourceName, configurationKeys: options.keys ?? null }],
    includeSynonyms: options.includeSynonyms ?? true,
    // Documentation exists from v3 only; the codec refuses a field the version lacks.
    includeDocumentation: (options.version ?? 4) >= 3,
  })
  const response = await client.cluster.request(
    nodeId,
    'DescribeConfigs',
    body,
    options.version ? { version: options.version } : {},
  )
  return response.results[0]!
}

/** The described configs by name. */
export function byName(
  result: DescribeConfigsResponseDescribeConfigsResult,
): Map<string, DescribeConfigsResponseDescribeConfigsResourceResult> {
  return new Map(result.configs.map((config) => [config.name, config]))
}

export const TOPIC = 2
export const BROKER = 4
export const SET = 0
export const DELETE = 1
export const APPEND = 2
export const SUBTRACT = 3

/** IncrementalAlterConfigs of one resource. */
export async function alterIncrementally(
  client: KafkaClient,
  nodeId: number,
  resourceType: number,
  resourceName: string,
  configs: { name: string; configOperation: number; value: string | null }[],
  validateOnly = false,
): Promise<IncrementalAlterConfigsResponseAlterConfigsResourceResponse> {
  const body = createIncrementalAlterConfigsRequest({
    resources: [{ resourceType, resourceName, configs }],
    validateOnly,
  })
  const response = await client.cluster.request(nodeId, 'IncrementalAlterConfigs', body)
  return response.responses[0]!
}

/** The legacy AlterConfigs of one resource: its dynamic configs become exactly `configs`. */
export async function alterConfigs(
  client: KafkaClient,
  nodeId: number,
  resourceType: number,
  resourceName: string,
  configs: { name: string; value: string | null }[],
): Promise<AlterConfigsResponseAlterConfigsResourceResponse> {
  const body = createAlterConfigsRequest({ resources: [{ resourceType, resourceName, configs }], validateOnly: false })
  return (await client.cluster.request(nodeId, 'AlterConfigs', body)).responses[0]!
}
