// The coordinator of a classic group goes away (its broker stops): members look it up again
// and carry on in the same generation, as Java's members do after a coordinator failover.
import { KafkaClient } from '@kafkit/client'
import { createCreateTopicsRequest, createCreateTopicsRequestCreatableTopic } from '@kafkit/protocol'
import { type EmbeddedKafka, startEmbeddedKafka } from '@kafkit/testkit'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { RangeAssignor } from '../src/assignors/index.js'
import { splitEvenly, startMember, type TestMember } from './classic-support.js'

let kafka: EmbeddedKafka
const members: TestMember[] = []

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 3, security: false })
})

afterAll(async () => {
  await Promise.all(members.map((m) => m.stop()))
  await kafka?.stop()
})

async function until(description: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${description}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

it('members follow the coordinator to another broker and keep their generation and partitions', async () => {
  const admin = new KafkaClient({ brokers: kafka.bootstrapServers })
  const topic = 'moving-coordinator'
  await admin.cluster.requestAny(
    'CreateTopics',
    createCreateTopicsRequest({
      topics: [createCreateTopicsRequestCreatableTopic({ name: topic, numPartitions: 12, replicationFactor: 3 })],
      timeoutMs: 10_000,
    }),
  )
  const groupId = 'moving-group'
  const coordinator = await admin.cluster.findCoordinator('group', groupId)
  await admin.close()
  const spec = { groupId, topics: [topic], assignors: [new RangeAssignor()], heartbeatIntervalMs: 100 }
  for (const name of ['a', 'b']) members.push(await startMember(kafka.bootstrapServers, name, spec))
  await until('a and b split the partitions', () => splitEvenly(members, 12))
  const generation = members[0]?.membership.groupMetadata.generationId
  const owned = members.map((m) => [...m.listener.owned].sort())
  const joins = members.map((m) => m.joins())

  await kafka.control.stopBroker(coordinator)
  const beats = members.map((m) => m.heartbeats())
  await until('both heartbeat the new coordinator', () => members.every((m, i) => m.heartbeats() > (beats[i] ?? 0) + 3))
  for (const m of members) expect(await m.client.cluster.findCoordinator('group', groupId)).not.toBe(coordinator)
  expect(members.map((m) => m.membership.groupMetadata.generationId)).toEqual([generation, generation])
  expect(members.map((m) => [...m.listener.owned].sort())).toEqual(owned)
  expect(members.map((m) => m.joins())).toEqual(joins)
  await kafka.control.startBroker(coordinator)
})
