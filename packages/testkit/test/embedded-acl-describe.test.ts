import {
  createConsumerGroupDescribeRequest,
  createDescribeClusterRequest,
  createDescribeGroupsRequest,
  createDescribeTopicPartitionsRequest,
  createMetadataRequest,
  createOffsetForLeaderEpochRequest,
  ZERO_UUID,
} from '@kafkit/protocol'
import { beforeAll, describe, expect, it } from 'vitest'
import { AclOperation, CLUSTER_NAME, ResourceType } from '../src/embedded/security/acl-binding.js'
import { anonymousAcl, useAclBroker } from './support/acl-broker.js'
import { KipMember } from './support/consumer-group-member.js'

/**
 * The describing APIs under ACLs, and the authorized-operation bitfields they
 * compute from them, as Kafka 4.1 does. Plaintext clients are User:ANONYMOUS,
 * no super user, allow.everyone.if.no.acl.found off.
 */
const NODE = 1
const UNKNOWN_TOPIC_OR_PARTITION = 3
const TOPIC_AUTHORIZATION_FAILED = 29
const GROUP_AUTHORIZATION_FAILED = 30
const OMITTED = -2147483648
/** A bitfield with bit `code` set for each ACL operation code. */
const ops = (...codes: number[]) => codes.reduce((field, code) => field | (1 << code), 0)

const broker = useAclBroker(['seen', 'unseen', 'used'])
const allow = broker.allow

beforeAll(() => {
  allow(ResourceType.TOPIC, 'seen', AclOperation.DESCRIBE)
  allow(ResourceType.TOPIC, 'used', AclOperation.READ)
  allow(ResourceType.TOPIC, 'used', AclOperation.ALTER_CONFIGS)
  allow(ResourceType.TOPIC, 'absent', AclOperation.DESCRIBE)
})

describe('describing under ACLs', () => {
  it('DescribeCluster answers everybody; its authorized operations are 0 without cluster DESCRIBE', async () => {
    const request = createDescribeClusterRequest({ includeClusterAuthorizedOperations: true })
    const before = await broker.client.cluster.request(NODE, 'DescribeCluster', request)
    expect(before.errorCode).toBe(0)
    expect(before.brokers.map((b) => b.brokerId)).toEqual([NODE])
    // ALTER implies DESCRIBE, but the bitfield stays 0 while DESCRIBE itself is not allowed.
    expect(before.clusterAuthorizedOperations).toBe(0)
    allow(ResourceType.CLUSTER, CLUSTER_NAME, AclOperation.ALTER)
    allow(ResourceType.CLUSTER, CLUSTER_NAME, AclOperation.IDEMPOTENT_WRITE)
    const after = await broker.client.cluster.request(NODE, 'DescribeCluster', request)
    expect(after.clusterAuthorizedOperations).toBe(
      ops(AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.IDEMPOTENT_WRITE),
    )
    const metadata = await broker.client.cluster.request(
      NODE,
      'Metadata',
      createMetadataRequest({ topics: [], includeClusterAuthorizedOperations: true }),
      { version: 10 },
    )
    expect(metadata.clusterAuthorizedOperations).toBe(after.clusterAuthorizedOperations)
  })

  it('DescribeTopicPartitions refuses named topics without DESCRIBE, hides them from listings, computes operations', async () => {
    const named = await broker.client.cluster.request(
      NODE,
      'DescribeTopicPartitions',
      createDescribeTopicPartitionsRequest({
        topics: ['used', 'unseen', 'absent', 'ghost', 'seen'].map((name) => ({ name })),
        responsePartitionLimit: 100,
      }),
    )
    // Refused topics come last and say nothing of whether they exist.
    expect(named.topics.map((t) => [t.name, t.errorCode, t.topicAuthorizedOperations])).toEqual([
      ['absent', UNKNOWN_TOPIC_OR_PARTITION, ops(AclOperation.DESCRIBE)],
      ['seen', 0, ops(AclOperation.DESCRIBE)],
      [
        'used',
        0,
        ops(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS),
      ],
      ['ghost', TOPIC_AUTHORIZATION_FAILED, OMITTED],
      ['unseen', TOPIC_AUTHORIZATION_FAILED, OMITTED],
    ])
    expect(named.topics.find((t) => t.name === 'unseen')).toMatchObject({ topicId: ZERO_UUID, partitions: [] })

    const all = await broker.client.cluster.request(
      NODE,
      'DescribeTopicPartitions',
      createDescribeTopicPartitionsRequest({ topics: [], responsePartitionLimit: 100 }),
    )
    expect(all.topics.map((t) => t.name)).toEqual(['seen', 'used'])
  })

  it('OffsetForLeaderEpoch needs topic DESCRIBE, or CLUSTER_ACTION for every topic', async () => {
    const request = createOffsetForLeaderEpochRequest({
      replicaId: -1,
      topics: ['seen', 'unseen'].map((topic) => ({
        topic,
        partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }],
      })),
    })
    const codes = async () =>
      Object.fromEntries(
        (await broker.client.cluster.request(NODE, 'OffsetForLeaderEpoch', request)).topics.map((t) => [
          t.topic,
          t.partitions[0]?.errorCode,
        ]),
      )
    expect(await codes()).toEqual({ seen: 0, unseen: TOPIC_AUTHORIZATION_FAILED })
    allow(ResourceType.CLUSTER, CLUSTER_NAME, AclOperation.CLUSTER_ACTION)
    expect(await codes()).toEqual({ seen: 0, unseen: 0 })
  })

  it('DescribeGroups and ConsumerGroupDescribe compute group operations and refuse groups without DESCRIBE; heartbeats need DESCRIBE on subscribed topics', async () => {
    allow(ResourceType.GROUP, 'g-read', AclOperation.READ)
    allow(ResourceType.GROUP, 'g-hiding', AclOperation.READ)
    const classic = await broker.client.cluster.request(
      NODE,
      'DescribeGroups',
      createDescribeGroupsRequest({ groups: ['g-read', 'g-none'], includeAuthorizedOperations: true }),
      { version: 5 },
    )
    expect(classic.groups.map((g) => [g.groupId, g.errorCode, g.authorizedOperations])).toEqual([
      ['g-none', GROUP_AUTHORIZATION_FAILED, OMITTED],
      ['g-read', 0, ops(AclOperation.READ, AclOperation.DESCRIBE)],
    ])

    // A member assigned a topic the describer may see, and one assigned a topic it may not
    // (which it can subscribe to only while it may describe it).
    expect(
      (await new KipMember(broker.client, { groupId: 'g-read', coordinator: NODE, topics: ['used'] }).full()).errorCode,
    ).toBe(0)
    const hiding = new KipMember(broker.client, { groupId: 'g-hiding', coordinator: NODE, topics: ['unseen'] })
    expect((await hiding.full()).errorCode).toBe(TOPIC_AUTHORIZATION_FAILED)
    const describeUnseen = anonymousAcl(ResourceType.TOPIC, 'unseen', AclOperation.DESCRIBE)
    broker.authorizer.add(describeUnseen)
    expect((await hiding.full()).errorCode).toBe(0)
    broker.authorizer.delete(describeUnseen)
    const described = await broker.client.cluster.request(
      NODE,
      'ConsumerGroupDescribe',
      createConsumerGroupDescribeRequest({
        groupIds: ['g-read', 'g-none', 'g-hiding'],
        includeAuthorizedOperations: true,
      }),
    )
    expect(described.groups.map((g) => [g.groupId, g.errorCode, g.authorizedOperations])).toEqual([
      ['g-none', GROUP_AUTHORIZATION_FAILED, OMITTED],
      ['g-read', 0, ops(AclOperation.READ, AclOperation.DESCRIBE)],
      ['g-hiding', TOPIC_AUTHORIZATION_FAILED, OMITTED],
    ])
    expect(described.groups[1]?.members).toHaveLength(1)
    expect(described.groups[2]).toMatchObject({
      members: [],
      errorMessage: 'The group has described topic(s) that the client is not authorized to describe.',
    })
  })
})
