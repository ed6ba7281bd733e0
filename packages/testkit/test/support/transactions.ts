import type { KafkaClient } from '@kafkit/client'
import {
  createAddPartitionsToTxnRequest,
  createEndTxnRequest,
  createInitProducerIdRequest,
  type RecordInput,
} from '@kafkit/protocol'
import { batch, records } from './data-requests.js'

export interface TransactionalProducer {
  transactionalId: string
  producerId: bigint
  producerEpoch: number
}

/** `input` (two records unless given) as a batch of the producer's transaction, from `baseSequence`. */
export function transactionalBatch(
  producer: TransactionalProducer,
  baseSequence: number,
  input: RecordInput[] = records(2),
): Promise<Buffer> {
  return batch(input, {
    producerId: producer.producerId,
    producerEpoch: producer.producerEpoch,
    baseSequence,
    isTransactional: true,
  })
}

/** InitProducerId for a transactional id at `node` (its coordinator), retrying CONCURRENT_TRANSACTIONS. */
export async function initTransactional(
  client: KafkaClient,
  node: number,
  transactionalId: string,
  transactionTimeoutMs = 60_000,
): Promise<TransactionalProducer & { errorCode: number }> {
  const body = createInitProducerIdRequest({ transactionalId, transactionTimeoutMs })
  for (;;) {
    const answer = await client.cluster.request(node, 'InitProducerId', body)
    if (answer.errorCode !== 51) return { transactionalId, ...answer }
  }
}

/** AddPartitionsToTxn (client form, v3) for one producer; the error codes by `topic-partition`. */
export async function addPartitions(
  client: KafkaClient,
  node: number,
  producer: TransactionalProducer,
  partitions: [topic: string, partition: number][],
): Promise<Map<string, number>> {
  const topics = new Map<string, number[]>()
  for (const [topic, partition] of partitions) topics.set(topic, [...(topics.get(topic) ?? []), partition])
  const answer = await client.cluster.request(
    node,
    'AddPartitionsToTxn',
    createAddPartitionsToTxnRequest({
      v3AndBelowTransactionalId: producer.transactionalId,
      v3AndBelowProducerId: producer.producerId,
      v3AndBelowProducerEpoch: producer.producerEpoch,
      v3AndBelowTopics: [...topics].map(([name, list]) => ({ name, partitions: list })),
    }),
    { version: 3 },
  )
  const errors = new Map<string, number>()
  for (const topic of answer.resultsByTopicV3AndBelow)
    for (const p of topic.resultsByPartition) errors.set(`${topic.name}-${p.partitionIndex}`, p.partitionErrorCode)
  return errors
}

/** A transactional producer whose ongoing transaction already holds `topic`-`partition`. */
export async function beginTransaction(
  client: KafkaClient,
  node: number,
  transactionalId: string,
  topic: string,
  partition: number,
): Promise<TransactionalProducer> {
  const producer = await initTransactional(client, node, transactionalId)
  if (producer.errorCode !== 0) throw new Error(`InitProducerId for ${transactionalId}: error ${producer.errorCode}`)
  const errors = await addPartitions(client, node, producer, [[topic, partition]])
  const error = errors.get(`${topic}-${partition}`)
  if (error !== 0) throw new Error(`AddPartitionsToTxn ${topic}-${partition}: error ${error}`)
  return producer
}

/** EndTxn for one producer (at the highest version unless `version` says otherwise). */
export function endTransaction(
  client: KafkaClient,
  node: number,
  producer: TransactionalProducer,
  committed: boolean,
  version?: number,
) {
  const body = createEndTxnRequest({
    transactionalId: producer.transactionalId,
    producerId: producer.producerId,
    producerEpoch: producer.producerEpoch,
    committed,
  })
  return client.cluster.request(node, 'EndTxn', body, { version })
}
