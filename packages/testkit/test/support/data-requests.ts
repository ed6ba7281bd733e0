import type { KafkaClient } from '@kafkit/client'
import {
  createFetchRequest,
  createListOffsetsRequest,
  createProduceRequest,
  decodeRecordBatches,
  encodeRecordBatch,
  type FetchRequest,
  type FetchResponse,
  type FetchResponsePartitionData,
  type KafkaRecord,
  type ListOffsetsResponseListOffsetsPartitionResponse,
  type ProduceResponsePartitionProduceResponse,
  type RecordBatchOptions,
  type RecordInput,
  ZERO_UUID,
} from '@kafkit/protocol'

/** The last versions that name topics: tests address topics by name unless they test topic ids. */
export const NAMES_VERSION = { Produce: 12, Fetch: 12 } as const

/** Records with values "v0".."v{n-1}" (and keys "k0".. when `keyed`). */
export function records(count: number, keyed = false, prefix = 'v'): RecordInput[] {
  return Array.from({ length: count }, (_, i) => ({
    key: keyed ? Buffer.from(`k${i}`) : null,
    value: Buffer.from(`${prefix}${i}`),
  }))
}

export function batch(input: RecordInput[], options: RecordBatchOptions = {}): Promise<Buffer> {
  return encodeRecordBatch({ ...options, records: input })
}

export interface ProduceOptions {
  acks?: number
  version?: number
  transactionalId?: string | null
  topicId?: string
  purpose?: string
}

export function produceBody(topic: string, partition: number, bytes: Buffer | null, options: ProduceOptions = {}) {
  return createProduceRequest({
    acks: options.acks ?? -1,
    timeoutMs: 30_000,
    transactionalId: options.transactionalId ?? null,
    topicData: [
      { name: topic, topicId: options.topicId ?? ZERO_UUID, partitionData: [{ index: partition, records: bytes }] },
    ],
  })
}

/** Sends one batch to one broker and returns the partition's answer. */
export async function produce(
  client: KafkaClient,
  nodeId: number,
  topic: string,
  partition: number,
  bytes: Buffer | null,
  options: ProduceOptions = {},
): Promise<ProduceResponsePartitionProduceResponse> {
  const response = await client.cluster.request(nodeId, 'Produce', produceBody(topic, partition, bytes, options), {
    version: options.version ?? NAMES_VERSION.Produce,
    purpose: options.purpose,
  })
  return response.responses[0]!.partitionResponses[0]!
}

export interface FetchPartitionSpec {
  topic: string
  topicId?: string
  partition: number
  offset: bigint
  partitionMaxBytes?: number
  currentLeaderEpoch?: number
}

export function fetchBody(partitions: FetchPartitionSpec[], request: Partial<FetchRequest> = {}): FetchRequest {
  const topics: FetchRequest['topics'] = []
  for (const p of partitions) {
    const entry = {
      partition: p.partition,
      fetchOffset: p.offset,
      partitionMaxBytes: p.partitionMaxBytes ?? 1024 * 1024,
      currentLeaderEpoch: p.currentLeaderEpoch ?? -1,
      lastFetchedEpoch: -1,
      logStartOffset: -1n,
      replicaDirectoryId: ZERO_UUID,
      highWatermark: -1n,
    }
    const last = topics.at(-1)
    if (last && last.topic === p.topic) last.partitions.push(entry)
    else topics.push({ topic: p.topic, topicId: p.topicId ?? ZERO_UUID, partitions: [entry] })
  }
  return createFetchRequest({ maxWaitMs: 0, minBytes: 0, sessionEpoch: -1, topics, ...request })
}

export function fetch(
  client: KafkaClient,
  nodeId: number,
  body: FetchRequest,
  options: { version?: number; purpose?: string } = {},
): Promise<FetchResponse> {
  return client.cluster.request(nodeId, 'Fetch', body, {
    purpose: options.purpose ?? 'fetch',
    version: options.version ?? NAMES_VERSION.Fetch,
  })
}

/** The one partition of a fetch answer, for tests that fetch one. */
export function only(response: FetchResponse): FetchResponsePartitionData {
  expect1(response.responses.length, 'topics')
  expect1(response.responses[0]!.partitions.length, 'partitions')
  return response.responses[0]!.partitions[0]!
}

function expect1(count: number, what: string): void {
  if (count !== 1) throw new Error(`expected one entry in ${what}, got ${count}`)
}

/** Every complete record in a fetched partition, from `from` on. */
export async function decoded(data: FetchResponsePartitionData, from = 0n): Promise<KafkaRecord[]> {
  const batches = await decodeRecordBatches(data.records ?? Buffer.alloc(0))
  return batches.flatMap((b) => b.records).filter((r) => r.offset >= from)
}

export const values = (list: KafkaRecord[]) => list.map((r) => r.value?.toString() ?? null)

export async function listOffset(
  client: KafkaClient,
  nodeId: number,
  topic: string,
  partition: number,
  timestamp: bigint,
  options: { version?: number; isolationLevel?: number; currentLeaderEpoch?: number; replicaId?: number } = {},
): Promise<ListOffsetsResponseListOffsetsPartitionResponse> {
  const body = createListOffsetsRequest({
    replicaId: options.replicaId ?? -1,
    isolationLevel: options.isolationLevel ?? 0,
    topics: [
      {
        name: topic,
        partitions: [{ partitionIndex: partition, timestamp, currentLeaderEpoch: options.currentLeaderEpoch ?? -1 }],
      },
    ],
  })
  const response = await client.cluster.request(nodeId, 'ListOffsets', body, { version: options.version })
  return response.topics[0]!.partitions[0]!
}

/** A promise with its resolve function outside, for ordering assertions without sleeping. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}
