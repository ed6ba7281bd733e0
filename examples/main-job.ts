/**
 * The main job, end to end: start a Kafka broker (kafkit's embedded one, or the
 * cluster named by KAFKA_BROKERS), produce orders, consume them in a group of
 * two consumers, and print who read what.
 *
 *   pnpm main-job                          # embedded broker, nothing else needed
 *   KAFKA_BROKERS=localhost:9092 pnpm main-job   # the same against a real cluster
 */
import { jsonSerde, Kafka, type KafkitConsumer, stringSerde } from 'kafkit'
import { DEADLINE_MS, startExampleCluster, until } from './example-cluster.js'

interface Order {
  id: number
  customer: string
  totalCents: number
}

const ORDERS = Number(process.env.ORDERS ?? 10_000)
const PARTITIONS = 6

const cluster = await startExampleCluster('kafkit main job')

const kafka = new Kafka({ clientId: 'kafkit-main-job', brokers: cluster.bootstrapServers })
const run = Date.now().toString(36)
const topic = `orders-${run}`
const groupId = `billing-${run}`

try {
  await using admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] })
  console.log(`created topic ${topic} with ${PARTITIONS} partitions`)

  // Consume: two members of one group split the partitions between them.
  const seen = new Set<number>()
  const members = ['consumer-a', 'consumer-b'].map((name) => member(name, seen))
  for (const m of members) await m.start()
  await until(
    () =>
      members.every((m) => m.consumer.assignment().length > 0) &&
      members.reduce((sum, m) => sum + m.consumer.assignment().length, 0) === PARTITIONS,
    'the group to give both consumers partitions',
  )
  for (const m of members) {
    const owned = m.consumer.assignment().map((tp) => tp.partition)
    console.log(`${m.name} joined group ${groupId} and owns partitions [${owned.sort((a, b) => a - b).join(', ')}]`)
  }

  // Produce: keyed by customer, so each customer's orders stay in order on one partition.
  const producer = kafka.producer({ keySerializer: stringSerde, valueSerializer: jsonSerde<Order>() })
  await producer.connect()
  const started = performance.now()
  const sends = []
  for (let id = 0; id < ORDERS; id += 500) {
    const messages = []
    for (let i = id; i < Math.min(id + 500, ORDERS); i++) {
      const customer = `customer-${i % 97}`
      messages.push({ key: customer, value: { id: i, customer, totalCents: 100 + ((i * 37) % 9_900) } })
    }
    sends.push(producer.send({ topic, messages }))
  }
  const delivered = (await Promise.all(sends)).flat()
  await producer.disconnect()
  console.log(
    `produced ${delivered.length} orders in ${(performance.now() - started).toFixed(0)} ms (idempotent, acks=all)`,
  )

  await until(() => seen.size === ORDERS, `all ${ORDERS} orders to be consumed`)
  for (const m of members) await m.consumer.disconnect()

  for (const m of members) {
    console.log(
      `${m.name}: partitions [${[...m.partitions].sort((a, b) => a - b).join(', ')}], ${m.count} orders, ${(m.totalCents / 100).toFixed(2)} billed`,
    )
  }
  const duplicates = members.reduce((sum, m) => sum + m.count, 0) - seen.size
  if (seen.size !== ORDERS)
    throw new Error(`consumed ${seen.size} of ${ORDERS} distinct orders within ${DEADLINE_MS} ms`)
  console.log(`consumed all ${ORDERS} orders (${duplicates} read twice), group ${groupId}`)
} finally {
  await cluster.stop()
}

function member(name: string, seen: Set<number>) {
  const consumer: KafkitConsumer<string | null, Order | null> = kafka.consumer({
    groupId,
    keyDeserializer: stringSerde,
    valueDeserializer: jsonSerde<Order>(),
  })
  const state = { name, consumer, partitions: new Set<number>(), count: 0, totalCents: 0, start }
  async function start() {
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        state.partitions.add(partition)
        state.count++
        state.totalCents += message.value?.totalCents ?? 0
        if (message.value) seen.add(message.value.id)
      },
    })
  }
  return state
}
