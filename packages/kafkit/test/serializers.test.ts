import { KafkaClient } from '@kafkit/client'
import { startEmbeddedKafka } from '@kafkit/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readPartition } from '../../../test/integration/support/topics.js'
import { jsonSerde, Kafka, logLevel, SerializationError, type Serializer, stringSerde } from '../src/index.js'

let brokers: string[]
let stop: () => Promise<void>
let kafka: Kafka

beforeAll(async () => {
  const cluster = await startEmbeddedKafka({ security: false })
  brokers = cluster.bootstrapServers
  stop = () => cluster.stop()
  kafka = new Kafka({ clientId: 'kafkit-serde', brokers, logLevel: logLevel.NOTHING })
})
afterAll(() => stop?.())

interface Order {
  id: number
  items: string[]
}

async function readValues(topic: string): Promise<(string | null)[]> {
  await using client = new KafkaClient({ brokers })
  await client.connect()
  await client.cluster.refreshMetadata({ topics: [topic] })
  return (await readPartition(client, topic, 0)).map((r) => r.value?.toString('utf8') ?? null)
}

describe('typed serializers', () => {
  it('sends typed values through jsonSerde and keys through stringSerde', async () => {
    const producer = kafka.producer({ keySerializer: stringSerde, valueSerializer: jsonSerde<Order>() })
    await producer.connect()
    await producer.send({
      topic: 'serde-orders',
      messages: [
        { key: 'customer-1', value: { id: 1, items: ['tea'] }, partition: 0 },
        { key: 'customer-1', value: null, partition: 0 },
      ],
    })
    await producer.disconnect()
    expect(await readValues('serde-orders')).toEqual(['{"id":1,"items":["tea"]}', null])
  })

  it('fails a send whose value the serializer rejects, typed and naming the message, without sending any', async () => {
    const producer = kafka.producer({ valueSerializer: jsonSerde<unknown>() })
    await producer.connect()
    const cyclic: { self?: unknown } = {}
    cyclic.self = cyclic
    const sent = producer.send({
      topic: 'serde-rejected',
      messages: [
        { value: { fine: true }, partition: 0 },
        { value: cyclic, partition: 0 },
      ],
    })
    await expect(sent).rejects.toThrow(SerializationError)
    await expect(sent).rejects.toThrow(/value for topic "serde-rejected" cannot be written as JSON/)
    await producer.send({ topic: 'serde-rejected', messages: [{ value: 'after', partition: 0 }] })
    await producer.disconnect()
    expect(await readValues('serde-rejected')).toEqual(['"after"'])
  })

  it('wraps errors of a custom serializer and checks what it returns', async () => {
    const throwing: Serializer<number> = {
      serialize() {
        throw new Error('no numbers today')
      },
    }
    const wrongReturn = { serialize: () => 'not bytes' } as unknown as Serializer<number>
    const producer = kafka.producer({ valueSerializer: throwing })
    await producer.connect()
    await expect(producer.send({ topic: 'serde-custom', messages: [{ value: 1 }] })).rejects.toThrow(
      /messages\[0\]\.value could not be serialized: no numbers today/,
    )
    await producer.disconnect()
    const other = kafka.producer({ valueSerializer: wrongReturn })
    await other.connect()
    await expect(other.send({ topic: 'serde-custom', messages: [{ value: 1 }] })).rejects.toThrow(
      /must return a Buffer or null/,
    )
    await other.disconnect()
    expect(() => kafka.producer({ valueSerializer: {} as Serializer<string> })).toThrow(
      /valueSerializer must be an object with a serialize/,
    )
  })
})
