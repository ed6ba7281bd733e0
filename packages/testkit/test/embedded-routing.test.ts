import { KafkaClient } from '@kafkit/client'
import { createListOffsetsRequest, createOffsetForLeaderEpochRequest } from '@kafkit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmbeddedKafka, startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'
import {
  batch,
  decoded,
  fetch,
  fetchBody,
  only,
  produce,
  produceBody,
  records,
  values,
} from './support/data-requests.js'

const NOT_LEADER_OR_FOLLOWER = 6
const NOT_ENOUGH_REPLICAS = 19
const FENCED_LEADER_EPOCH = 74

let kafka: EmbeddedKafka
let client: KafkaClient
let count = 0

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 3, security: false })
  client = new KafkaClient({ brokers: kafka.bootstrapServers })
  await client.connect()
})

afterAll(async () => {
  await client?.close()
  await kafka?.stop()
})

function topic(replicationFactor: number, configs: Record<string, string> = {}) {
  const name = `routing-${count++}`
  const state = kafka.control.state.createTopic(name, 1, replicationFactor, new Map(Object.entries(configs)))
  const partition = state.partitions[0]!
  const others = [1, 2, 3].filter((id) => id !== partition.leader)
  return {
    name,
    partition,
    leader: partition.leader,
    follower: others.find((id) => partition.replicas.includes(id)),
    outsider: others.find((id) => !partition.replicas.includes(id)),
  }
}

describe('a three-broker cluster', () => {
  it('answers a produce to a follower with NOT_LEADER_OR_FOLLOWER and the current leader', async () => {
    const { name, leader, follower, partition } = topic(3)
    const answer = await produce(client, follower!, name, 0, await batch(records(1)), { version: 12 })
    expect(answer.errorCode).toBe(NOT_LEADER_OR_FOLLOWER)
    expect(answer.currentLeader).toEqual({ leaderId: leader, leaderEpoch: partition.leaderEpoch })
    const response = await client.cluster.request(follower!, 'Produce', produceBody(name, 0, await batch(records(1))), {
      version: 12,
    })
    const port = kafka.control.state.broker(leader)!.ports.PLAINTEXT
    expect(response.nodeEndpoints).toEqual([{ nodeId: leader, host: '127.0.0.1', port, rack: null }])
    expect((await produce(client, leader, name, 0, await batch(records(1)))).errorCode).toBe(0)
  })

  it('answers ListOffsets and OffsetForLeaderEpoch on a follower with NOT_LEADER_OR_FOLLOWER', async () => {
    const { name, follower } = topic(3)
    const list = createListOffsetsRequest({
      replicaId: -1,
      topics: [{ name, partitions: [{ partitionIndex: 0, timestamp: -1n, currentLeaderEpoch: -1 }] }],
    })
    const listed = await client.cluster.request(follower!, 'ListOffsets', list)
    expect(listed.topics[0]!.partitions[0]!.errorCode).toBe(NOT_LEADER_OR_FOLLOWER)
    const epochs = createOffsetForLeaderEpochRequest({
      replicaId: -1,
      topics: [{ topic: name, partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] }],
    })
    const answered = await client.cluster.request(follower!, 'OffsetForLeaderEpoch', epochs)
    expect(answered.topics[0]!.partitions[0]!.errorCode).toBe(NOT_LEADER_OR_FOLLOWER)
  })

  it('serves fetches from a follower from v11 (KIP-392), and only from the leader before', async () => {
    const { name, leader, follower } = topic(3)
    await produce(client, leader, name, 0, await batch(records(2)))
    const body = fetchBody([{ topic: name, partition: 0, offset: 0n }])
    expect(only(await fetch(client, follower!, body, { version: 10 })).errorCode).toBe(NOT_LEADER_OR_FOLLOWER)
    expect(values(await decoded(only(await fetch(client, follower!, body, { version: 11 }))))).toEqual(['v0', 'v1'])
  })

  it('answers a broker without a replica with NOT_LEADER_OR_FOLLOWER, and the leader hint from v16', async () => {
    const { name, leader, outsider } = topic(1)
    const topicId = kafka.control.state.topics.get(name)!.topicId
    const body = fetchBody([{ topic: '', topicId, partition: 0, offset: 0n }])
    const response = await fetch(client, outsider!, body, { version: 16 })
    expect(only(response)).toMatchObject({ errorCode: NOT_LEADER_OR_FOLLOWER, currentLeader: { leaderId: leader } })
    expect(response.nodeEndpoints.map((e) => e.nodeId)).toEqual([leader])
  })

  it('moves with the leader: the old leader refuses, an old epoch is fenced', async () => {
    const { name, leader, follower } = topic(3)
    kafka.control.moveLeader(name, 0, follower!)
    expect((await produce(client, leader, name, 0, await batch(records(1)))).errorCode).toBe(NOT_LEADER_OR_FOLLOWER)
    expect((await produce(client, follower!, name, 0, await batch(records(1)))).errorCode).toBe(0)
    const stale = fetchBody([{ topic: name, partition: 0, offset: 0n, currentLeaderEpoch: 0 }])
    expect(only(await fetch(client, follower!, stale)).errorCode).toBe(FENCED_LEADER_EPOCH)
  })

  it('refuses acks=-1 when the ISR is below min.insync.replicas, and still takes acks=1', async () => {
    const { name, leader, follower } = topic(3, { 'min.insync.replicas': '3' })
    expect((await produce(client, leader, name, 0, await batch(records(1)))).errorCode).toBe(0)
    await kafka.control.stopBroker(follower!)
    try {
      const refused = await produce(client, leader, name, 0, await batch(records(1)))
      expect(refused).toMatchObject({ errorCode: NOT_ENOUGH_REPLICAS, baseOffset: -1n, logStartOffset: 0n })
      expect((await produce(client, leader, name, 0, await batch(records(1)), { acks: 1 })).baseOffset).toBe(1n)
    } finally {
      await kafka.control.startBroker(follower!)
    }
    expect((await produce(client, leader, name, 0, await batch(records(1)))).baseOffset).toBe(2n)
  })
})
