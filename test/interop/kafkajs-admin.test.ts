import kafkajs from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'
import { uniqueTopic } from '../integration/support/test-cluster.js'
import { waitFor } from '../integration/support/wait-for.js'
import { requireApis, useInteropCluster } from './support/interop-cluster.js'
import { KafkajsHarness, kafkajsConsume, kafkajsProduce } from './support/kafkajs-client.js'
import { makeRecords } from './support/records.js'

/**
 * kafkajs 2.2.4's admin client against a three-broker embedded cluster:
 * topics (create with configs, describe and alter configs, add partitions,
 * delete), offsets (by timestamp, delete records) and consumer groups (list,
 * describe, reset offsets, delete).
 */
const { interop, skipReason } = await useInteropCluster({ brokers: 3 })
const { ConfigResourceTypes } = kafkajs

const harnesses: KafkajsHarness[] = []
function kafkajsClient(): KafkajsHarness {
  const harness = new KafkajsHarness(interop!.cluster.bootstrapServers)
  harnesses.push(harness)
  return harness
}

afterEach(async (context) => {
  for (const harness of harnesses.splice(0)) {
    await harness.close()
    if (context.task.result?.state === 'fail') console.warn(`kafkajs log:\n${harness.logs.slice(-200).join('\n')}`)
  }
})

describe.skipIf(skipReason !== undefined)(
  `the kafkajs 2.2.4 admin against a three-broker ${interop?.target} cluster`,
  () => {
    it('creates a topic with configs, describes and alters them, adds partitions and deletes the topic', async () => {
      requireApis(interop!, ['CreateTopics', 'DescribeConfigs', 'AlterConfigs', 'CreatePartitions', 'DeleteTopics'])
      const admin = kafkajsClient().admin()
      await admin.connect()
      const topic = uniqueTopic('kafkajs-admin-topic')
      const created = await admin.createTopics({
        topics: [
          {
            topic,
            numPartitions: 3,
            replicationFactor: 3,
            configEntries: [
              { name: 'retention.ms', value: '3600000' },
              { name: 'cleanup.policy', value: 'compact' },
            ],
          },
        ],
        waitForLeaders: true,
      })
      expect(created).toBe(true)
      expect(await admin.listTopics()).toContain(topic)
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics
      expect(metadata!.partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3])

      const describe = async () => {
        const described = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [
            { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'cleanup.policy'] },
          ],
        })
        const [resource] = described.resources
        expect(resource!.errorCode).toBe(0)
        return Object.fromEntries(resource!.configEntries.map((entry) => [entry.configName, entry.configValue]))
      }
      expect(await describe()).toEqual({ 'retention.ms': '3600000', 'cleanup.policy': 'compact' })

      // AlterConfigs (not incremental) replaces the topic's whole set: cleanup.policy falls back to its default.
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: '7200000' }] },
        ],
      })
      expect(await describe()).toEqual({ 'retention.ms': '7200000', 'cleanup.policy': 'delete' })

      await admin.createPartitions({ topicPartitions: [{ topic, count: 5 }] })
      await waitFor('the new partitions are in the metadata', async () => {
        const [grown] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics
        return grown?.partitions.length === 5 && grown.partitions.every((p) => p.leader >= 0) ? true : undefined
      })

      await admin.deleteTopics({ topics: [topic] })
      await waitFor('the topic is gone', async () => ((await admin.listTopics()).includes(topic) ? undefined : true))
    })

    it('finds offsets by timestamp and deletes records below an offset', async () => {
      requireApis(interop!, ['Produce', 'ListOffsets', 'DeleteRecords', 'Fetch', 'JoinGroup', 'SyncGroup'])
      const topic = uniqueTopic('kafkajs-admin-offsets')
      await interop!.createTopic(topic, 2)
      const client = kafkajsClient()
      const producer = client.producer()
      await producer.connect()
      const baseTimestamp = Date.now() - 60_000
      const records = makeRecords({ tag: topic, count: 60, partitions: 2, partitioning: 'explicit', baseTimestamp })
      await kafkajsProduce(producer, topic, records, { perSend: 10, explicitPartition: true })
      const admin = client.admin()
      await admin.connect()

      // Partition 0 holds records 0, 2, 4, ... with timestamps base+0, base+2, ...: base+21 is first reached by record 22, offset 11.
      const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, baseTimestamp + 21)
      expect(byTime.map((p) => [p.partition, p.offset]).sort()).toEqual([
        [0, '11'],
        [1, '10'],
      ])
      const future = await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() + 3_600_000)
      expect(future.map((p) => p.offset)).toEqual(['30', '30'])

      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '12' }] })
      const offsets = await admin.fetchTopicOffsets(topic)
      expect(offsets.map((p) => [p.partition, p.low, p.high]).sort()).toEqual([
        [0, '12', '30'],
        [1, '0', '30'],
      ])
      // A consumer from the beginning starts at the new log start.
      const received = await kafkajsConsume(client.consumer(`group-${topic}`), topic, 48)
      expect(received).toHaveLength(48)
      expect(received.filter((r) => r.partition === 0).map((r) => Number(r.offset))).toEqual(
        Array.from({ length: 18 }, (_, i) => 12 + i),
      )
    })

    it('lists, describes, resets and deletes a consumer group', async () => {
      requireApis(interop!, ['ListGroups', 'DescribeGroups', 'DeleteGroups', 'OffsetCommit', 'OffsetFetch'])
      const topic = uniqueTopic('kafkajs-admin-groups')
      await interop!.createTopic(topic, 3)
      const client = kafkajsClient()
      const producer = client.producer()
      await producer.connect()
      const records = makeRecords({ tag: topic, count: 90, partitions: 3, partitioning: 'explicit' })
      await kafkajsProduce(producer, topic, records, { explicitPartition: true })
      const groupId = `group-${topic}`
      const consumer = client.consumer(groupId)
      let consumed = 0
      await consumer.connect()
      await consumer.subscribe({ topic, fromBeginning: true })
      await consumer.run({
        eachMessage: async () => {
          consumed++
        },
      })
      await waitFor('every record is consumed', () => (consumed >= records.length ? true : undefined))

      const admin = client.admin()
      await admin.connect()
      const [running] = (await admin.describeGroups([groupId])).groups
      expect(running).toMatchObject({
        groupId,
        state: 'Stable',
        protocolType: 'consumer',
        protocol: 'RoundRobinAssigner',
      })
      expect(running!.members).toHaveLength(1)
      // Leaving the group commits what was consumed.
      await consumer.disconnect()

      const committed = async () =>
        (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions
          .map((p) => [p.partition, p.offset])
          .sort()
      expect(await committed()).toEqual([
        [0, '30'],
        [1, '30'],
        [2, '30'],
      ])
      const { groups } = await admin.listGroups()
      expect(groups).toContainEqual({ groupId, protocolType: 'consumer' })
      const [empty] = (await admin.describeGroups([groupId])).groups
      expect(empty).toMatchObject({ groupId, state: 'Empty', members: [] })

      // kafkajs commits -2 (EARLIEST) for a reset to earliest, and Kafka stores it as given.
      await admin.resetOffsets({ groupId, topic, earliest: true })
      expect(await committed()).toEqual([
        [0, '-2'],
        [1, '-2'],
        [2, '-2'],
      ])
      await admin.setOffsets({ groupId, topic, partitions: [{ partition: 1, offset: '7' }] })
      expect((await committed())[1]).toEqual([1, '7'])

      const [deleted] = await admin.deleteGroups([groupId])
      expect(deleted).toMatchObject({ groupId, errorCode: 0 })
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId)
    })
  },
)
