import { KafkaClient } from '@kafkit/client'
import {
  createAlterConfigsRequest,
  createCreateTopicsRequest,
  createDeleteTopicsRequest,
  createDescribeAclsRequest,
  createDescribeConfigsRequest,
  createDescribeGroupsRequest,
  createJoinGroupRequest,
  createListGroupsRequest,
  createMetadataRequest,
  createOffsetCommitRequest,
  createOffsetFetchRequest,
  ZERO_UUID,
} from '@kafkit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmbeddedKafka, startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'
import {
  type AclBinding,
  AclOperation,
  PatternType,
  PermissionType,
  ResourceType,
} from '../src/embedded/security/acl-binding.js'
import { securityOf } from '../src/embedded/security/security-state.js'
import { creatable } from './support/admin.js'
import { batch, fetch, fetchBody, produceBody, records } from './support/data-requests.js'

/**
 * ACLs enforced by the embedded broker for a principal that is no super user
 * (plaintext clients are User:ANONYMOUS) and with allow.everyone.if.no.acl.found
 * off, so every permission comes from an ACL the test adds.
 */
let kafka: EmbeddedKafka
let client: KafkaClient
const ANONYMOUS = 'User:ANONYMOUS'
const TOPIC_AUTHORIZATION_FAILED = 29
const GROUP_AUTHORIZATION_FAILED = 30
const CLUSTER_AUTHORIZATION_FAILED = 31

function allow(
  resourceType: number,
  resourceName: string,
  operation: number,
  patternType: number = PatternType.LITERAL,
) {
  const acl: AclBinding = {
    resourceType,
    resourceName,
    patternType,
    principal: ANONYMOUS,
    host: '*',
    operation,
    permissionType: PermissionType.ALLOW,
  }
  securityOf(kafka.control.state).authorizer?.add(acl)
}

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 1, security: false, authorizer: { superUsers: ['User:admin'] } })
  const state = kafka.control.state
  for (const name of ['visible', 'hidden', 'writable', 'readable']) state.createTopic(name, 1, 1)
  allow(ResourceType.TOPIC, 'visible', AclOperation.DESCRIBE)
  allow(ResourceType.TOPIC, 'writable', AclOperation.WRITE)
  allow(ResourceType.TOPIC, 'readable', AclOperation.READ)
  client = new KafkaClient({ brokers: kafka.bootstrapServers, requestTimeoutMs: 5000 })
  await client.connect()
})
afterAll(async () => {
  await client?.close()
  await kafka?.stop()
})

describe('ACL enforcement by the embedded broker', () => {
  it('Metadata lists only topics the principal may describe and refuses named ones it may not', async () => {
    const all = await client.cluster.requestAny('Metadata', createMetadataRequest({ topics: null }))
    // WRITE and READ imply DESCRIBE.
    expect(all.topics.map((t) => t.name).sort()).toEqual(['readable', 'visible', 'writable'])
    const named = await client.cluster.requestAny(
      'Metadata',
      createMetadataRequest({
        topics: ['visible', 'hidden', 'brand-new'].map((name) => ({ name, topicId: ZERO_UUID })),
        allowAutoTopicCreation: true,
      }),
    )
    const codes = Object.fromEntries(named.topics.map((t) => [t.name, t.errorCode]))
    // brand-new would need CREATE to be auto-created.
    expect(codes).toEqual({ visible: 0, hidden: TOPIC_AUTHORIZATION_FAILED, 'brand-new': TOPIC_AUTHORIZATION_FAILED })
    expect(kafka.control.state.topics.has('brand-new')).toBe(false)
  })

  it('Produce writes to topics with WRITE and answers TOPIC_AUTHORIZATION_FAILED for the others', async () => {
    const bytes = await batch(records(1))
    const body = produceBody('writable', 0, bytes)
    body.topicData.push(...produceBody('visible', 0, bytes).topicData)
    const response = await client.cluster.request(1, 'Produce', body, { version: 12 })
    const codes = Object.fromEntries(response.responses.map((t) => [t.name, t.partitionResponses[0]?.errorCode]))
    expect(codes).toEqual({ writable: 0, visible: TOPIC_AUTHORIZATION_FAILED })
    expect(kafka.control.state.topics.get('visible')?.partitions[0]?.log.logEndOffset).toBe(0n)
  })

  it('Fetch needs READ', async () => {
    const response = await fetch(
      client,
      1,
      fetchBody([
        { topic: 'readable', partition: 0, offset: 0n },
        { topic: 'visible', partition: 0, offset: 0n },
      ]),
    )
    const codes = Object.fromEntries(response.responses.map((t) => [t.topic, t.partitions[0]?.errorCode]))
    expect(codes).toEqual({ readable: 0, visible: TOPIC_AUTHORIZATION_FAILED })
  })

  it('CreateTopics needs CREATE on the topic or the cluster, DeleteTopics DELETE', async () => {
    allow(ResourceType.TOPIC, 'made-', AclOperation.CREATE, PatternType.PREFIXED)
    const created = await client.cluster.requestAny(
      'CreateTopics',
      createCreateTopicsRequest({ topics: [creatable('made-1'), creatable('not-made')], timeoutMs: 5000 }),
    )
    expect(created.topics.map((t) => [t.name, t.errorCode, t.errorMessage])).toEqual([
      ['made-1', 0, null],
      ['not-made', TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.'],
    ])
    const deleted = await client.cluster.requestAny(
      'DeleteTopics',
      createDeleteTopicsRequest({ topicNames: ['visible'], timeoutMs: 5000 }),
      { version: 5 },
    )
    expect(deleted.responses.map((t) => [t.name, t.errorCode])).toEqual([['visible', TOPIC_AUTHORIZATION_FAILED]])
    expect(kafka.control.state.topics.has('visible')).toBe(true)
  })

  it('DescribeConfigs needs DESCRIBE_CONFIGS (topic) or cluster DESCRIBE_CONFIGS (broker); AlterConfigs ALTER_CONFIGS', async () => {
    allow(ResourceType.TOPIC, 'readable', AclOperation.ALTER_CONFIGS)
    const described = await client.cluster.requestAny(
      'DescribeConfigs',
      createDescribeConfigsRequest({
        resources: [
          { resourceType: 2, resourceName: 'visible', configurationKeys: ['retention.ms'] },
          { resourceType: 2, resourceName: 'readable', configurationKeys: ['retention.ms'] },
          { resourceType: 4, resourceName: '1', configurationKeys: ['log.retention.ms'] },
        ],
      }),
    )
    expect(described.results.map((r) => [r.resourceName, r.errorCode])).toEqual([
      ['visible', TOPIC_AUTHORIZATION_FAILED],
      ['readable', 0],
      ['1', CLUSTER_AUTHORIZATION_FAILED],
    ])
    const altered = await client.cluster.requestAny(
      'AlterConfigs',
      createAlterConfigsRequest({
        resources: [
          { resourceType: 2, resourceName: 'visible', configs: [{ name: 'retention.ms', value: '1000' }] },
          { resourceType: 2, resourceName: 'readable', configs: [{ name: 'retention.ms', value: '1000' }] },
        ],
      }),
    )
    expect(altered.responses.map((r) => [r.resourceName, r.errorCode])).toEqual([
      ['visible', TOPIC_AUTHORIZATION_FAILED],
      ['readable', 0],
    ])
  })

  it('group APIs need READ or DESCRIBE on the group; offset commits and fetches check the topics too', async () => {
    const join = await client.cluster.requestAny(
      'JoinGroup',
      createJoinGroupRequest({
        groupId: 'closed',
        sessionTimeoutMs: 10_000,
        rebalanceTimeoutMs: 10_000,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
      }),
    )
    expect(join.errorCode).toBe(GROUP_AUTHORIZATION_FAILED)

    allow(ResourceType.GROUP, 'open', AclOperation.READ)
    const commit = await client.cluster.requestAny(
      'OffsetCommit',
      createOffsetCommitRequest({
        groupId: 'open',
        generationIdOrMemberEpoch: -1,
        topics: ['readable', 'visible'].map((name) => ({
          name,
          topicId: ZERO_UUID,
          partitions: [{ partitionIndex: 0, committedOffset: 0n, committedLeaderEpoch: -1, committedMetadata: null }],
        })),
      }),
      { version: 8 },
    )
    expect(commit.topics.map((t) => [t.name, t.partitions[0]?.errorCode])).toEqual([
      ['readable', 0],
      ['visible', TOPIC_AUTHORIZATION_FAILED],
    ])

    const fetched = await client.cluster.requestAny(
      'OffsetFetch',
      createOffsetFetchRequest({
        groups: [
          { groupId: 'open', memberId: null, memberEpoch: -1, topics: null },
          { groupId: 'closed', memberId: null, memberEpoch: -1, topics: null },
        ],
      }),
      { version: 8 },
    )
    expect(fetched.groups.map((g) => [g.groupId, g.errorCode, g.topics.map((t) => t.name)])).toEqual([
      ['open', 0, ['readable']],
      ['closed', GROUP_AUTHORIZATION_FAILED, []],
    ])

    const described = await client.cluster.requestAny(
      'DescribeGroups',
      createDescribeGroupsRequest({ groups: ['open', 'closed'] }),
    )
    // KafkaApis answers the refused groups before asking the coordinator about the rest.
    expect(described.groups.map((g) => [g.groupId, g.errorCode])).toEqual([
      ['closed', GROUP_AUTHORIZATION_FAILED],
      ['open', 0],
    ])
    const listed = await client.cluster.requestAny('ListGroups', createListGroupsRequest())
    expect(listed.groups.map((g) => g.groupId)).toEqual(['open'])
  })

  it('leader elections and reassignments need cluster ALTER; listing moves and log dirs cluster DESCRIBE', async () => {
    // Runs before the DescribeAcls test grants cluster DESCRIBE.
    const elected = await client.cluster.requestAny('ElectLeaders', {
      electionType: 0,
      topicPartitions: [{ topic: 'visible', partitions: [0] }],
      timeoutMs: 1000,
    })
    expect(elected.errorCode).toBe(CLUSTER_AUTHORIZATION_FAILED)
    expect(elected.replicaElectionResults[0]?.partitionResult[0]?.errorCode).toBe(CLUSTER_AUTHORIZATION_FAILED)
    const moved = await client.cluster.requestAny('AlterPartitionReassignments', {
      timeoutMs: 1000,
      allowReplicationFactorChange: true,
      topics: [{ name: 'visible', partitions: [{ partitionIndex: 0, replicas: [1] }] }],
    })
    expect(moved.errorCode).toBe(CLUSTER_AUTHORIZATION_FAILED)
    const listed = await client.cluster.requestAny('ListPartitionReassignments', { timeoutMs: 1000, topics: null })
    expect(listed.errorCode).toBe(CLUSTER_AUTHORIZATION_FAILED)
    const logDirs = await client.cluster.requestAny('DescribeLogDirs', { topics: null })
    expect([logDirs.errorCode, logDirs.results]).toEqual([CLUSTER_AUTHORIZATION_FAILED, []])
  })

  it('DescribeAcls needs DESCRIBE on the cluster', async () => {
    const filter = createDescribeAclsRequest({
      resourceTypeFilter: 1,
      resourceNameFilter: null,
      principalFilter: null,
      hostFilter: null,
      patternTypeFilter: 1,
      operation: 1,
      permissionType: 1,
    })
    const refused = await client.cluster.requestAny('DescribeAcls', filter)
    expect(refused.errorCode).toBe(CLUSTER_AUTHORIZATION_FAILED)
    allow(ResourceType.CLUSTER, 'kafka-cluster', AclOperation.DESCRIBE)
    const described = await client.cluster.requestAny('DescribeAcls', filter)
    expect(described.errorCode).toBe(0)
    expect(described.resources.flatMap((r) => r.acls)).toHaveLength(
      securityOf(kafka.control.state).authorizer?.acls.length ?? -1,
    )
  })
})

describe('an embedded cluster without an authorizer', () => {
  it('answers the ACL APIs SECURITY_DISABLED, as Kafka without authorizer.class.name', async () => {
    await using open = await startEmbeddedKafka({ brokers: 1, security: false })
    await using openClient = new KafkaClient({ brokers: open.bootstrapServers })
    await openClient.connect()
    const response = await openClient.cluster.requestAny(
      'DescribeAcls',
      createDescribeAclsRequest({
        resourceTypeFilter: 1,
        resourceNameFilter: null,
        patternTypeFilter: 1,
        principalFilter: null,
        hostFilter: null,
        operation: 1,
        permissionType: 1,
      }),
    )
    expect([response.errorCode, response.errorMessage]).toEqual([54, 'No Authorizer is configured.'])
  })
})
