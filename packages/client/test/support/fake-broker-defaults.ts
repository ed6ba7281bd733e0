/**
 * What the fake broker answers when a test has not scripted a request: enough
 * of Kafka for a client to connect, load metadata, find a coordinator, list
 * offsets and produce. Every topic lives on the fake itself (one node).
 */
import {
  type ApiMessages,
  type ApiName,
  Apis,
  createApiVersionsResponseApiVersion,
  createFindCoordinatorResponseCoordinator,
  createListOffsetsResponseListOffsetsPartitionResponse,
  createListOffsetsResponseListOffsetsTopicResponse,
  createMetadataResponseMetadataResponseBroker,
  createMetadataResponseMetadataResponsePartition,
  createMetadataResponseMetadataResponseTopic,
  createProduceResponsePartitionProduceResponse,
  createProduceResponseTopicProduceResponse,
  type MetadataResponseMetadataResponseTopic,
} from '@kafkit/protocol'

export interface VersionRange {
  min: number
  max: number
}

/** What the default handlers need to know about the fake. */
export interface FakeBrokerState {
  nodeId: number
  host: string
  port: number
  clusterId: string
  /** Partition count by topic name. */
  topics: Map<string, { topicId: string; partitions: number }>
  /** The ranges advertised in ApiVersions, by API key. */
  versions: Map<number, VersionRange>
}

const UNKNOWN_TOPIC_OR_PARTITION = 3
const UNSUPPORTED_VERSION = 35

type Body<N extends ApiName> = ApiMessages[N]['request']
type Answer<N extends ApiName> =
  | Partial<ApiMessages[N]['response']>
  | { inVersion: number; response: Partial<ApiMessages[N]['response']> }
  | { noResponse: true }
  | { closeConnection: true }

/** Every API this protocol release can encode, with its full version range. */
export function protocolVersionRanges(): Map<number, VersionRange> {
  const ranges = new Map<number, VersionRange>()
  for (const api of Object.values(Apis)) {
    // Removed APIs (LeaderAndIsr and the like) have no valid version left.
    if (api.maxVersion >= api.minVersion) ranges.set(api.apiKey, { min: api.minVersion, max: api.maxVersion })
  }
  return ranges
}

/**
 * Like Kafka: a version of ApiVersions the broker does not speak is answered
 * in v0 with UNSUPPORTED_VERSION and the ranges, so the client can retry lower.
 */
function apiVersions(state: FakeBrokerState, version: number): Answer<'ApiVersions'> {
  const apiKeys = [...state.versions].map(([apiKey, range]) =>
    createApiVersionsResponseApiVersion({ apiKey, minVersion: range.min, maxVersion: range.max }),
  )
  const own = state.versions.get(Apis.ApiVersions.apiKey)
  if (!own || version < own.min || version > own.max) {
    return { inVersion: 0, response: { errorCode: UNSUPPORTED_VERSION, apiKeys } }
  }
  return { errorCode: 0, apiKeys }
}

function metadata(state: FakeBrokerState, body: Body<'Metadata'>): Answer<'Metadata'> {
  const topicById = new Map([...state.topics].map(([name, topic]) => [topic.topicId, name]))
  const wanted =
    body.topics === null ? [...state.topics.keys()] : body.topics.map((t) => t.name ?? topicById.get(t.topicId))
  const topics: MetadataResponseMetadataResponseTopic[] = wanted.map((name) => {
    const topic = name === undefined ? undefined : state.topics.get(name)
    if (name === undefined || !topic) {
      return createMetadataResponseMetadataResponseTopic({ name: name ?? null, errorCode: UNKNOWN_TOPIC_OR_PARTITION })
    }
    return createMetadataResponseMetadataResponseTopic({
      name,
      topicId: topic.topicId,
      partitions: Array.from({ length: topic.partitions }, (_, partitionIndex) =>
        createMetadataResponseMetadataResponsePartition({
          partitionIndex,
          leaderId: state.nodeId,
          leaderEpoch: 0,
          replicaNodes: [state.nodeId],
          isrNodes: [state.nodeId],
        }),
      ),
    })
  })
  return {
    brokers: [
      createMetadataResponseMetadataResponseBroker({ nodeId: state.nodeId, host: state.host, port: state.port }),
    ],
    clusterId: state.clusterId,
    controllerId: state.nodeId,
    topics,
  }
}

/** v0-3 name one coordinator; v4 and later (KIP-699) answer a batch of keys. */
function findCoordinator(
  state: FakeBrokerState,
  version: number,
  body: Body<'FindCoordinator'>,
): Answer<'FindCoordinator'> {
  const self = { nodeId: state.nodeId, host: state.host, port: state.port }
  if (version <= 3) return self
  return { coordinators: body.coordinatorKeys.map((key) => createFindCoordinatorResponseCoordinator({ key, ...self })) }
}

function listOffsets(body: Body<'ListOffsets'>): Answer<'ListOffsets'> {
  return {
    topics: body.topics.map((topic) =>
      createListOffsetsResponseListOffsetsTopicResponse({
        name: topic.name,
        partitions: topic.partitions.map(({ partitionIndex }) =>
          createListOffsetsResponseListOffsetsPartitionResponse({ partitionIndex, offset: 0n, leaderEpoch: 0 }),
        ),
      }),
    ),
  }
}

/** acks=0: Kafka sends nothing back, and the client expects nothing. */
function produce(body: Body<'Produce'>): Answer<'Produce'> {
  if (body.acks === 0) return { noResponse: true }
  return {
    responses: body.topicData.map((topic) =>
      createProduceResponseTopicProduceResponse({
        name: topic.name,
        topicId: topic.topicId,
        partitionResponses: topic.partitionData.map(({ index }) =>
          createProduceResponsePartitionProduceResponse({ index, baseOffset: 0n }),
        ),
      }),
    ),
  }
}

/** The default answer to a request, or undefined when the fake does not serve the API (it then closes the connection). */
export function defaultAnswer(
  state: FakeBrokerState,
  api: ApiName,
  version: number,
  body: unknown,
): Answer<ApiName> | undefined {
  switch (api) {
    case 'ApiVersions':
      return apiVersions(state, version)
    case 'Metadata':
      return metadata(state, body as Body<'Metadata'>)
    case 'FindCoordinator':
      return findCoordinator(state, version, body as Body<'FindCoordinator'>)
    case 'ListOffsets':
      return listOffsets(body as Body<'ListOffsets'>)
    case 'Produce':
      return produce(body as Body<'Produce'>)
    default:
      return undefined
  }
}
