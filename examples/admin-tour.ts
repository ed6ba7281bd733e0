/**
 * A tour of the admin client (docs/admin.md), as an operator would take it: a
 * topic's life from creation to deletion, its configs, and a consumer group's
 * lag and offsets, one printed line per step.
 *
 *   pnpm admin-tour                                # embedded broker, nothing else needed
 *   KAFKA_BROKERS=localhost:9092 pnpm admin-tour   # the same against a real cluster
 */
import { Kafka, stringSerde } from 'kafkit'
import { startExampleCluster, until } from './example-cluster.js'

const cluster = await startExampleCluster('kafkit admin tour')
const kafka = new Kafka({ clientId: 'kafkit-admin-tour', brokers: cluster.bootstrapServers })
// Unique names, so the tour can run again and again against the same cluster.
const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`
const topic = `tour-${run}`
const groupId = `tour-readers-${run}`
const admin = kafka.admin()

try {
  await admin.connect()

  // kafka-topics --create / --list / --describe
  await admin.createTopics({
    topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
  })
  console.log(`created topic ${topic}`)
  const topics = await admin.listTopics()
  console.log(`listed ${topics.length} topics, ${topics.includes(topic) ? 'including' : 'WITHOUT'} ${topic}`)
  console.log(`described ${topic}: ${await partitionCount()} partitions`)

  // kafka-configs --describe / --alter --add-config
  console.log(`configs of ${topic}: ${await configs()}`)
  await admin.incrementalAlterConfigs({
    resources: [
      {
        type: 'topic',
        name: topic,
        configEntries: [
          { name: 'retention.ms', value: '86400000' },
          { name: 'cleanup.policy', value: 'compact' },
        ],
      },
    ],
  })
  // Brokers apply a change a moment after the controller accepts it: describe until it shows.
  await until(async () => (await configs()).includes('compact'), 'the brokers to apply the new configs')
  console.log(`altered configs of ${topic}: ${await configs()}`)

  // kafka-topics --alter --partitions 6
  await admin.createPartitions({ topicPartitions: [{ topic, count: 6 }] })
  console.log(`added partitions: ${topic} has ${await partitionCount()} partitions`)

  // Some traffic: three keyed records per partition (a compacted topic refuses records without keys).
  const producer = kafka.producer({ keySerializer: stringSerde, valueSerializer: stringSerde })
  await producer.connect()
  const messages = [0, 1, 2, 3, 4, 5].flatMap((partition) =>
    [0, 1, 2].map((i) => ({ key: `key-${partition}-${i}`, value: `record ${i}`, partition })),
  )
  await producer.send({ topic, messages })
  await producer.disconnect()
  console.log(`produced ${messages.length} records`)

  const consumer = kafka.consumer({ groupId, autoCommitIntervalMs: 100 })
  let consumed = 0
  await consumer.connect()
  consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({ eachMessage: async () => void consumed++ })
  // Caught up once every partition has a commit at its end.
  await until(async () => {
    const lag = await admin.fetchGroupLag({ groupId, topics: [topic] })
    return lag.totalLag === 0n && lag.uncommittedPartitions === 0
  }, `group ${groupId} to commit every record`)
  console.log(`consumed ${consumed} records in group ${groupId}`)

  // kafka-consumer-groups --list / --describe --members / --describe (lag)
  const { groups } = await admin.listGroups()
  console.log(`listed groups: ${groupId} is ${groups.find((g) => g.groupId === groupId)?.state}`)
  const [group] = (await admin.describeGroups([groupId])).groups
  const owned = group?.members.flatMap((m) => m.assignment.flatMap((a) => a.partitions)) ?? []
  console.log(`described group: ${group?.state}, ${group?.members.length} member(s) owning ${owned.length} partitions`)
  const lag = await admin.fetchGroupLag({ groupId })
  console.log(`lag of ${groupId}: ${lag.totalLag} over ${lag.partitions.length} partitions`)

  // Offsets can only be reset while no member could overwrite them.
  await consumer.disconnect()
  await until(async () => (await groupState()) === 'Empty', `group ${groupId} to become empty`)
  console.log(`stopped the consumer: group ${groupId} is ${await groupState()}`)

  // kafka-consumer-groups --reset-offsets --to-earliest / --to-offset 2 --topic <topic>:0
  const toEarliest = await admin.resetGroupOffsets({ groupId, topics: [topic], to: 'earliest' })
  console.log(`reset to earliest: offsets [${toEarliest.map((r) => r.offset).join(', ')}], lag ${await totalLag()}`)
  const [toOffset] = await admin.resetGroupOffsets({
    groupId,
    topics: [{ topic, partitions: [0] }],
    to: { offset: 2n },
  })
  console.log(
    `reset partition 0 from ${toOffset?.previousOffset} to offset ${toOffset?.offset}, lag ${await totalLag()}`,
  )

  // Kafka deletes records only where cleanup.policy includes delete: revert the compact policy first.
  await admin.incrementalAlterConfigs({
    resources: [{ type: 'topic', name: topic, configEntries: [{ name: 'cleanup.policy', operation: 'delete' }] }],
  })
  await until(async () => !(await configs()).includes('compact'), 'the brokers to revert cleanup.policy')
  console.log(`reverted cleanup.policy: ${await configs()}`)
  // kafka-delete-records, then kafka-get-offsets --time -2 / -1
  const [deleted] = await admin.deleteRecords({ partitions: [{ topic, partition: 0, offset: 1n }] })
  console.log(`deleted records of partition 0 before offset 1: low watermark ${deleted?.lowWatermark}`)
  // One spec per partition and call (as Java's Map<TopicPartition, OffsetSpec>): two calls for both ends.
  const [earliest] = await admin.listOffsets({ partitions: [{ topic, partition: 0, spec: 'earliest' }] })
  const [latest] = await admin.listOffsets({ partitions: [{ topic, partition: 0, spec: 'latest' }] })
  console.log(`offsets of partition 0: earliest ${earliest?.offset}, latest ${latest?.offset}`)

  // kafka-consumer-groups --delete, kafka-topics --delete
  await admin.deleteGroups([groupId])
  const left = (await admin.listGroups()).groups.some((g) => g.groupId === groupId)
  console.log(`deleted group ${groupId}: ${left ? 'STILL LISTED' : 'no longer listed'}`)
  await admin.deleteTopics({ topics: [topic] })
  console.log(`deleted topic ${topic}`)
} finally {
  await admin.disconnect()
  console.log('disconnected')
  await cluster.stop()
}

async function partitionCount(): Promise<number | undefined> {
  const [description] = await admin.describeTopics({ topics: [topic] })
  return description?.partitions.length
}

/** The two configs the tour changes, with where each value comes from. */
async function configs(): Promise<string> {
  const [described] = await admin.describeConfigs({
    resources: [{ type: 'topic', name: topic, configNames: ['retention.ms', 'cleanup.policy'] }],
  })
  return (described?.configEntries ?? [])
    .map((c) => `${c.configName}=${c.configValue} (${c.configSource})`)
    .sort()
    .join(', ')
}

async function totalLag(): Promise<bigint> {
  return (await admin.fetchGroupLag({ groupId })).totalLag
}

async function groupState(): Promise<string | undefined> {
  return (await admin.describeGroups([groupId])).groups[0]?.state
}
