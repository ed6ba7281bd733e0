import { KafkaClient } from '@kafkit/client'
import {
  createCreateTopicsRequest,
  createCreateTopicsRequestCreatableTopic,
  createFetchRequest,
  createFetchRequestFetchPartition,
  createFetchRequestFetchTopic,
  decodeRecordBatches,
  errorFromCode,
  type KafkaRecord,
  ZERO_UUID,
} from '@kafkit/protocol'
import { uniqueTopic } from './test-cluster.js'

/** Creates a topic (CreateTopics, on any broker) and loads its metadata into the client. */
export async function createTopic(
  client: KafkaClient,
  name: string,
  partitions: number,
  configs: Record<string, string> = {},
): Promise<void> {
  const response = await client.cluster.requestAny(
    'CreateTopics',
    createCreateTopicsRequest({
      topics: [
        createCreateTopicsRequestCreatableTopic({
          name,
          numPartitions: partitions,
          replicationFactor: -1,
          configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
        }),
      ],
      timeoutMs: 10_000,
    }),
  )
  const error = errorFromCode(response.topics[0]?.errorCode ?? 0, { api: 'CreateTopics', entity: name })
  if (error) throw error
  await client.cluster.refreshMetadata({ topics: [name] })
}

/** Creates a topic with a name no other test uses (`<prefix>-…`), through a client of its own. */
export async function createUniqueTopic(brokers: string[], prefix: string, partitions: number): Promise<string> {
  const admin = new KafkaClient({ brokers })
  try {
    const topic = uniqueTopic(prefix)
    await createTopic(admin, topic, partitions)
    return topic
  } finally {
    await admin.close()
  }
}

/** Every record of a partition, read with a plain Fetch loop from its leader. */
export async function readPartition(client: KafkaClient, topic: string, partition: number): Promise<KafkaRecord[]> {
  const records: KafkaRecord[] = []
  let offset = 0n
  for (;;) {
    const leader = await client.cluster.leaderFor(topic, partition)
    const topicId = client.cluster.metadata.topic(topic)?.topicId
    const response = await client.cluster.request(leader, 'Fetch', () =>
      createFetchRequest({
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 50 * 1024 * 1024,
        isolationLevel: 0,
        topics: [
          createFetchRequestFetchTopic({
            topic,
            topicId: topicId ?? ZERO_UUID,
            partitions: [
              createFetchRequestFetchPartition({ partition, fetchOffset: offset, partitionMaxBytes: 10 * 1024 * 1024 }),
            ],
          }),
        ],
      }),
    )
    const data = response.responses[0]?.partitions[0]
    if (!data) throw new Error(`no fetch answer for ${topic}-${partition}`)
    const error = errorFromCode(data.errorCode, { api: 'Fetch', entity: `${topic}-${partition}` })
    if (error) throw error
    if (!data.records || data.records.length === 0) return records
    const batches = await decodeRecordBatches(data.records)
    let progressed = false
    for (const batch of batches) {
      for (const record of batch.records) {
        if (record.offset < offset) continue
        records.push(record)
        offset = record.offset + 1n
        progressed = true
      }
    }
    if (!progressed) return records
  }
}
