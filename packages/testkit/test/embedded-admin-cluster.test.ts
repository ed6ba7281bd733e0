import {
  createDescribeClusterRequest,
  createDescribeTopicPartitionsRequest,
  type DescribeTopicPartitionsRequestCursor,
  type DescribeTopicPartitionsResponse,
  ZERO_UUID,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { createTopic, freshTopic, useAdminCluster } from './support/admin.js'

const cluster = useAdminCluster({ racks: ['east', 'west', 'east'] })

function describeCluster(init: Parameters<typeof createDescribeClusterRequest>[0], version?: number) {
  return cluster.client.cluster.requestAny(
    'DescribeCluster',
    createDescribeClusterRequest(init),
    version === undefined ? {} : { version },
  )
}

function describePartitions(
  topics: string[],
  responsePartitionLimit: number,
  cursor: DescribeTopicPartitionsRequestCursor | null = null,
): Promise<DescribeTopicPartitionsResponse> {
  return cluster.client.cluster.requestAny(
    'DescribeTopicPartitions',
    createDescribeTopicPartitionsRequest({ topics: topics.map((name) => ({ name })), responsePartitionLimit, cursor }),
  )
}

/** Topic name → partition indexes, the shape of one page. */
function page(response: DescribeTopicPartitionsResponse): [string | null, number, number[]][] {
  return response.topics.map((t) => [t.name, t.errorCode, t.partitions.map((p) => p.partitionIndex)])
}

describe('DescribeCluster', () => {
  it('lists the brokers with their racks, the controller and the cluster id', async () => {
    const response = await describeCluster({ endpointType: 1 })
    const state = cluster.kafka.control.state
    expect(response).toMatchObject({
      errorCode: 0,
      errorMessage: null,
      endpointType: 1,
      clusterId: state.clusterId,
      controllerId: state.controllerId,
      clusterAuthorizedOperations: -2147483648,
    })
    expect(response.brokers.map((b) => [b.brokerId, b.rack, b.isFenced])).toEqual([
      [1, 'east', false],
      [2, 'west', false],
      [3, 'east', false],
    ])
    expect(response.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(cluster.kafka.bootstrapServers)
  })

  it('reports every cluster operation as authorized when asked, there being no authorizer', async () => {
    const response = await describeCluster({ includeClusterAuthorizedOperations: true, endpointType: 1 })
    expect(response.clusterAuthorizedOperations).toBe(8096)
  })

  it('answers a request for controllers or an unknown endpoint type as a broker does', async () => {
    expect(await describeCluster({ endpointType: 2 })).toMatchObject({
      errorCode: 114,
      errorMessage: 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER',
      brokers: [],
    })
    expect(await describeCluster({ endpointType: 7 })).toMatchObject({ errorCode: 115, brokers: [] })
    expect((await describeCluster({}, 0)).brokers).toHaveLength(3)
  })

  it('leaves a stopped broker out, unless fenced brokers are asked for (v2)', async () => {
    await cluster.kafka.control.stopBroker(2)
    try {
      expect((await describeCluster({ endpointType: 1 })).brokers.map((b) => b.brokerId)).toEqual([1, 3])
      const withFenced = await describeCluster({ endpointType: 1, includeFencedBrokers: true })
      expect(withFenced.brokers.map((b) => [b.brokerId, b.isFenced])).toEqual([
        [1, false],
        [2, true],
        [3, false],
      ])
    } finally {
      await cluster.kafka.control.startBroker(2)
    }
  })
})

describe('DescribeTopicPartitions', () => {
  it('describes partitions with leaders, epochs, replicas, ISR and empty ELR', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name, { numPartitions: 2, replicationFactor: 2 })
    const response = await describePartitions([name], 100)
    const topic = cluster.kafka.control.state.topics.get(name)!
    expect(response.nextCursor).toBeNull()
    expect(response.topics).toEqual([
      expect.objectContaining({
        errorCode: 0,
        name,
        topicId: topic.topicId,
        isInternal: false,
        topicAuthorizedOperations: 3576,
        partitions: topic.partitions.map((p) =>
          expect.objectContaining({
            errorCode: 0,
            partitionIndex: p.partition,
            leaderId: p.leader,
            leaderEpoch: 0,
            replicaNodes: p.replicas,
            isrNodes: p.isr,
            eligibleLeaderReplicas: [],
            lastKnownElr: [],
            offlineReplicas: [],
          }),
        ),
      }),
    ])
  })

  it('sorts topics by name and answers unknown and invalid ones', async () => {
    const name = freshTopic('zz-sorted')
    await createTopic(cluster.client, name, { numPartitions: 1 })
    const response = await describePartitions([name, 'never-created', 'bad name'], 10)
    expect(page(response)).toEqual([
      ['bad name', 17, []],
      ['never-created', 3, []],
      [name, 0, [0]],
    ])
    expect(response.topics[0]?.topicId).toBe(ZERO_UUID)
  })

  it('pages through partitions with responsePartitionLimit and the cursor', async () => {
    const a = freshTopic('paging-a')
    const b = freshTopic('paging-b')
    await createTopic(cluster.client, a, { numPartitions: 3 })
    await createTopic(cluster.client, b, { numPartitions: 2 })
    const first = await describePartitions([b, a], 2)
    expect(page(first)).toEqual([[a, 0, [0, 1]]])
    expect(first.nextCursor).toMatchObject({ topicName: a, partitionIndex: 2 })
    const second = await describePartitions([b, a], 2, first.nextCursor)
    expect(page(second)).toEqual([
      [a, 0, [2]],
      [b, 0, [0]],
    ])
    expect(second.nextCursor).toMatchObject({ topicName: b, partitionIndex: 1 })
    const third = await describePartitions([b, a], 2, second.nextCursor)
    expect(page(third)).toEqual([[b, 0, [1]]])
    expect(third.nextCursor).toBeNull()
  })

  it('points the cursor at the next topic when a page ends on a topic boundary', async () => {
    const a = freshTopic('boundary-a')
    const b = freshTopic('boundary-b')
    await createTopic(cluster.client, a, { numPartitions: 2 })
    await createTopic(cluster.client, b, { numPartitions: 2 })
    const first = await describePartitions([a, b], 2)
    expect(page(first)).toEqual([[a, 0, [0, 1]]])
    expect(first.nextCursor).toMatchObject({ topicName: b, partitionIndex: 0 })
  })

  it('describes every topic when none is named, from the cursor on', async () => {
    const name = freshTopic('zzzz-last')
    await createTopic(cluster.client, name, { numPartitions: 1 })
    const response = await describePartitions([], 2000, { topicName: name, partitionIndex: 0 })
    expect(page(response)).toEqual([[name, 0, [0]]])
  })

  it('fails every topic when the cursor is not one of them or points before partition 0', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name, { numPartitions: 1 })
    const elsewhere = await describePartitions([name], 10, { topicName: 'other', partitionIndex: 0 })
    expect(page(elsewhere)).toEqual([[name, 42, []]])
    const negative = await describePartitions([name], 10, { topicName: name, partitionIndex: -1 })
    expect(page(negative)).toEqual([[name, 42, []]])
  })

  it('shows a stopped broker as an offline replica', async () => {
    const name = freshTopic()
    await createTopic(cluster.client, name, { numPartitions: 1, replicationFactor: 3 })
    await cluster.kafka.control.stopBroker(3)
    try {
      const [partition] = (await describePartitions([name], 10)).topics[0]!.partitions
      expect(partition?.offlineReplicas).toEqual([3])
      expect(partition?.isrNodes).not.toContain(3)
    } finally {
      await cluster.kafka.control.startBroker(3)
    }
  })
})
