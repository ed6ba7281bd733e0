import { AuthenticationError, ClusterAuthorizationFailedError, TopicAuthorizationFailedError } from '@kafkit/protocol'
import { type Admin, AdminPartialFailureError, Kafka, KafkaClient, ProducerSendError } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientOptionsFor } from './support/client-options.js'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { createTopic } from './support/topics.js'
import { waitFor } from './support/wait-for.js'

/**
 * ACLs, SCRAM credentials and client quotas through kafkit's admin client,
 * against every target with ACLs enforced as Kafka's StandardAuthorizer does
 * (the jar target enables it; these settings make the embedded broker do the
 * same): super users ANONYMOUS (plaintext) and admin, and a resource no ACL
 * names stays open to everyone. Each test works on its own topic or user, so
 * the ACLs it creates refuse nothing to the other tests.
 */
/** Brokers learn of ACL, credential and quota changes from the controller's metadata log, a moment after it answers. */
async function eventually<T>(description: string, check: () => Promise<T>): Promise<T> {
  return waitFor(description, async () => ({ value: await check() }), { timeoutMs: 15_000, intervalMs: 100 }).then(
    ({ value }) => value,
  )
}

const { cluster, skipReason } = await useTestCluster({
  brokerConfig: {
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found': 'true',
    'super.users': 'User:ANONYMOUS;User:admin',
  },
})

describe.skipIf(skipReason !== undefined)(`ACLs, SCRAM users and quotas against the ${cluster?.target} target`, () => {
  let admin: Admin
  let client: KafkaClient
  beforeAll(async () => {
    admin = new Kafka({ clientId: 'kafkit-security', brokers: cluster!.bootstrapServers }).admin()
    await admin.connect()
    client = new KafkaClient({ brokers: cluster!.bootstrapServers })
    await client.connect()
  })
  afterAll(async () => {
    await admin?.disconnect()
    await client?.close()
  })

  const sasl = () => {
    const listener = cluster?.listeners.SASL_PLAINTEXT
    if (!listener?.sasl) throw new Error('the target has no SASL_PLAINTEXT listener')
    return listener
  }

  it('creates, describes (exact and MATCH filters) and deletes ACLs', async () => {
    const topic = uniqueTopic('acl-crud')
    const prefix = `${topic}-pre`
    const created = await admin.createAcls({
      acl: [
        {
          resourceType: 'TOPIC',
          resourceName: topic,
          principal: 'User:carol',
          operation: 'READ',
          permissionType: 'ALLOW',
        },
        {
          resourceType: 'TOPIC',
          resourceName: prefix,
          resourcePatternType: 'PREFIXED',
          principal: 'User:carol',
          host: '*',
          operation: 'WRITE',
          permissionType: 'DENY',
        },
      ],
    })
    expect(created).toHaveLength(2)

    await eventually('the ACL is described', async () => {
      const exact = await admin.describeAcls({ resourceType: 'TOPIC', resourceName: topic })
      expect(exact.resources).toEqual([
        {
          resourceType: 'TOPIC',
          resourceName: topic,
          resourcePatternType: 'LITERAL',
          acls: [{ principal: 'User:carol', host: '*', operation: 'READ', permissionType: 'ALLOW' }],
        },
      ])
    })
    // MATCH finds every ACL that applies to a name: here the prefixed one.
    await eventually('the prefixed ACL matches', async () => {
      const matching = await admin.describeAcls({
        resourceType: 'TOPIC',
        resourceName: `${prefix}-orders`,
        resourcePatternType: 'MATCH',
      })
      expect(matching.resources.map((r) => [r.resourceName, r.resourcePatternType])).toEqual([[prefix, 'PREFIXED']])
    })

    const deleted = await admin.deleteAcls({
      filters: [
        { resourceType: 'TOPIC', resourceName: topic, principal: 'User:carol' },
        { resourceType: 'TOPIC', resourceName: prefix, resourcePatternType: 'PREFIXED' },
      ],
    })
    expect(deleted.filterResponses.map((r) => r.matchingAcls.map((acl) => acl.operation))).toEqual([
      ['READ'],
      ['WRITE'],
    ])
    expect(deleted.filterResponses[1]?.matchingAcls[0]).toMatchObject({
      resourceName: prefix,
      resourcePatternType: 'PREFIXED',
      permissionType: 'DENY',
    })
    await eventually('the ACLs are gone', async () => {
      const after = await admin.describeAcls({
        resourceType: 'ANY',
        resourcePatternType: 'ANY',
        principal: 'User:carol',
      })
      expect(after.resources.filter((r) => r.resourceName.startsWith(topic))).toEqual([])
    })
  })

  it('refuses an ACL Kafka cannot store, naming it', async () => {
    const failure = await admin
      .createAcls({
        acl: [
          {
            resourceType: 'CLUSTER',
            resourceName: 'not-the-cluster',
            principal: 'User:carol',
            operation: 'ALTER',
            permissionType: 'ALLOW',
          },
        ],
      })
      .catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(AdminPartialFailureError)
    expect((failure as AdminPartialFailureError).failures[0]?.entry).toContain('CLUSTER:LITERAL:not-the-cluster')
    expect((failure as AdminPartialFailureError).failures[0]?.error.name).toBe('InvalidRequestError')
  })

  it('refuses a SASL PLAIN user a produce to a topic an ACL denies it, with TopicAuthorizationFailedError', async () => {
    const topic = uniqueTopic('acl-denied')
    await createTopic(client, topic, 1)
    await admin.createAcls({
      acl: [
        // alice may see the topic, so the refusal comes from Produce itself.
        {
          resourceType: 'TOPIC',
          resourceName: topic,
          principal: 'User:alice',
          operation: 'DESCRIBE',
          permissionType: 'ALLOW',
        },
        {
          resourceType: 'TOPIC',
          resourceName: topic,
          principal: 'User:alice',
          operation: 'WRITE',
          permissionType: 'DENY',
        },
      ],
    })
    await eventually('the broker has both ACLs', async () => {
      const { resources } = await admin.describeAcls({ resourceType: 'TOPIC', resourceName: topic })
      expect(resources[0]?.acls).toHaveLength(2)
    })
    const alice = new Kafka({
      clientId: 'kafkit-alice',
      ...clientOptionsFor(sasl(), 'PLAIN', { username: 'alice', password: 'alice-secret' }),
    })
    const producer = alice.producer()
    await producer.connect()
    try {
      const failure = await producer.send({ topic, messages: [{ value: 'no' }] }).catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(ProducerSendError)
      const reason = (failure as ProducerSendError).outcomes[0]
      expect(reason?.status).toBe('rejected')
      expect(reason?.status === 'rejected' ? reason.reason : undefined).toBeInstanceOf(TopicAuthorizationFailedError)
    } finally {
      await producer.disconnect()
    }
    // The admin user is a super user: the same produce goes through for it.
    const adminUser = new Kafka({
      clientId: 'kafkit-admin',
      ...clientOptionsFor(sasl(), 'PLAIN', { username: 'admin', password: 'admin-secret' }),
    })
    const allowed = adminUser.producer()
    await allowed.connect()
    try {
      const [sent] = await allowed.send({ topic, messages: [{ value: 'yes' }] })
      expect(sent?.offset).toBe(0n)
    } finally {
      await allowed.disconnect()
    }
    // A user denied ALTER on the cluster may not create ACLs. (With no ACL on the cluster
    // resource, allow.everyone.if.no.acl.found lets every user create them.)
    const clusterDeny = {
      resourceType: 'CLUSTER',
      resourceName: 'kafka-cluster',
      principal: 'User:alice',
      operation: 'ALTER',
      permissionType: 'DENY',
    } as const
    await admin.createAcls({ acl: [clusterDeny] })
    await eventually('the broker has the cluster ACL', async () => {
      const { resources } = await admin.describeAcls(clusterDeny)
      expect(resources).toHaveLength(1)
    })
    const aliceAdmin = alice.admin()
    await aliceAdmin.connect()
    try {
      const refused = await aliceAdmin
        .createAcls({
          acl: [
            {
              resourceType: 'TOPIC',
              resourceName: topic,
              principal: 'User:alice',
              operation: 'ALL',
              permissionType: 'ALLOW',
            },
          ],
        })
        .catch((error: unknown) => error)
      expect((refused as AdminPartialFailureError).failures[0]?.error).toBeInstanceOf(ClusterAuthorizationFailedError)
    } finally {
      await aliceAdmin.disconnect()
    }
    await admin.deleteAcls({ filters: [{ resourceType: 'TOPIC', resourceName: topic }, clusterDeny] })
  })

  it('creates a SCRAM user that can then authenticate with SCRAM-SHA-256 and -512, and cannot once deleted', async () => {
    const user = uniqueTopic('scram-user')
    const password = 'a-new-secret'
    // Kafka refuses two alterations of one user in one request (DUPLICATE_RESOURCE).
    const twice = await admin
      .alterUserScramCredentials([
        { type: 'upsert', user, mechanism: 'SCRAM-SHA-256', password },
        { type: 'upsert', user, mechanism: 'SCRAM-SHA-512', password },
      ])
      .catch((error: unknown) => error)
    expect((twice as AdminPartialFailureError).failures.map((f) => f.error.name)).toEqual(['DuplicateResourceError'])
    expect(
      await admin.alterUserScramCredentials([{ type: 'upsert', user, mechanism: 'SCRAM-SHA-256', password }]),
    ).toEqual([user])
    await admin.alterUserScramCredentials([
      { type: 'upsert', user, mechanism: 'SCRAM-SHA-512', password, iterations: 8192 },
    ])
    await eventually('both credentials are described', async () => {
      const [described] = await admin.describeUserScramCredentials([user])
      expect(described?.user).toBe(user)
      expect([...(described?.credentialInfos ?? [])].sort((a, b) => a.mechanism.localeCompare(b.mechanism))).toEqual([
        { mechanism: 'SCRAM-SHA-256', iterations: 4096 },
        { mechanism: 'SCRAM-SHA-512', iterations: 8192 },
      ])
    })
    expect((await admin.describeUserScramCredentials()).map((d) => d.user)).toContain(user)

    const connectAs = async (mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512') => {
      await using scram = new KafkaClient({
        clientId: 'kafkit-scram',
        ...clientOptionsFor(sasl(), mechanism, { username: user, password }),
      })
      await scram.connect()
      return scram.cluster.metadata.brokers.length
    }
    expect(await eventually('SCRAM-SHA-256 authentication works', () => connectAs('SCRAM-SHA-256'))).toBeGreaterThan(0)
    expect(await connectAs('SCRAM-SHA-512')).toBeGreaterThan(0)

    const refused = (mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512') =>
      eventually(`${mechanism} authentication is refused`, () =>
        expect(connectAs(mechanism)).rejects.toBeInstanceOf(AuthenticationError),
      )
    await admin.alterUserScramCredentials([{ type: 'delete', user, mechanism: 'SCRAM-SHA-256' }])
    await refused('SCRAM-SHA-256')
    expect(await connectAs('SCRAM-SHA-512')).toBeGreaterThan(0)
    await admin.alterUserScramCredentials([{ type: 'delete', user, mechanism: 'SCRAM-SHA-512' }])
    await refused('SCRAM-SHA-512')

    await eventually('the user has no credentials left', async () => {
      const missing = await admin.describeUserScramCredentials([user]).catch((error: unknown) => error)
      expect((missing as AdminPartialFailureError).failures.map((f) => [f.entry, f.error.name])).toEqual([
        [user, 'ResourceNotFoundError'],
      ])
    })
  })

  it('refuses SCRAM iterations below 4096 and deleting a credential that does not exist', async () => {
    const user = uniqueTopic('scram-bad')
    const few = await admin
      .alterUserScramCredentials([
        { type: 'upsert', user, mechanism: 'SCRAM-SHA-256', password: 'pw', iterations: 100 },
      ])
      .catch((error: unknown) => error)
    expect((few as AdminPartialFailureError).failures[0]?.error.name).toBe('UnacceptableCredentialError')
    const gone = await admin
      .alterUserScramCredentials([{ type: 'delete', user, mechanism: 'SCRAM-SHA-512' }])
      .catch((error: unknown) => error)
    expect((gone as AdminPartialFailureError).failures[0]?.error.name).toBe('ResourceNotFoundError')
  })

  it('alters and describes client quotas with Kafka filter semantics', async () => {
    const user = uniqueTopic('quota-user')
    const clientId = uniqueTopic('quota-client')
    await admin.alterClientQuotas([
      {
        entity: { user },
        ops: [
          { key: 'producer_byte_rate', value: 1048576 },
          { key: 'consumer_byte_rate', value: 2097152 },
        ],
      },
      { entity: { user, 'client-id': clientId }, ops: [{ key: 'request_percentage', value: 12.5 }] },
    ])
    const strictly = () =>
      admin.describeClientQuotas({ components: [{ entityType: 'user', match: user }], strict: true })
    await eventually('the quotas are described', async () =>
      expect(await strictly()).toEqual([
        { entity: { user }, values: { producer_byte_rate: 1048576, consumer_byte_rate: 2097152 } },
      ]),
    )
    const loose = await eventually('the user and client quotas are described', async () => {
      const found = await admin.describeClientQuotas({ components: [{ entityType: 'user', match: user }] })
      expect(found).toHaveLength(2)
      return found
    })
    expect(loose.find((q) => q.entity['client-id'] === clientId)?.values).toEqual({ request_percentage: 12.5 })
    // Any named client id, with its user.
    const named = await admin.describeClientQuotas({ components: [{ entityType: 'client-id' }] })
    expect(named.filter((q) => q.entity.user === user)).toEqual([
      { entity: { user, 'client-id': clientId }, values: { request_percentage: 12.5 } },
    ])

    await admin.alterClientQuotas([{ entity: { user }, ops: [{ key: 'consumer_byte_rate', value: null }] }])
    await eventually('the removed quota is gone', async () =>
      expect(await strictly()).toEqual([{ entity: { user }, values: { producer_byte_rate: 1048576 } }]),
    )

    const invalid = await admin
      .alterClientQuotas([{ entity: { user }, ops: [{ key: 'connection_creation_rate', value: 5 }] }])
      .catch((error: unknown) => error)
    expect((invalid as AdminPartialFailureError).failures.map((f) => [f.entry, f.error.name])).toEqual([
      [`user=${user}`, 'InvalidRequestError'],
    ])
    await admin.alterClientQuotas([
      { entity: { user }, ops: [{ key: 'producer_byte_rate', value: null }] },
      { entity: { user, 'client-id': clientId }, ops: [{ key: 'request_percentage', value: null }] },
    ])
    await eventually('no quota is left', async () =>
      expect(await admin.describeClientQuotas({ components: [{ entityType: 'user', match: user }] })).toEqual([]),
    )
  })
})
