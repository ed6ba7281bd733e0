import {
  createAddOffsetsToTxnRequest,
  createAddPartitionsToTxnRequest,
  createDescribeProducersRequest,
  createDescribeTransactionsRequest,
  createInitProducerIdRequest,
  createListTransactionsRequest,
  createTxnOffsetCommitRequest,
} from '@kafkit/protocol'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type AclBinding,
  AclOperation,
  PatternType,
  PermissionType,
  ResourceType,
} from '../src/embedded/security/acl-binding.js'
import { anonymousAcl, useAclBroker } from './support/acl-broker.js'
import { batch, produce, records } from './support/data-requests.js'
import {
  addPartitions,
  endTransaction,
  initTransactional,
  type TransactionalProducer,
  transactionalBatch,
} from './support/transactions.js'

/**
 * The transaction APIs, idempotent producer ids and DescribeProducers under
 * ACLs, as Kafka 4.1's KafkaApis checks them. Plaintext clients are
 * User:ANONYMOUS, no super user, allow.everyone.if.no.acl.found off: every
 * permission comes from an ACL the test adds.
 */
const NODE = 1
const UNKNOWN_TOPIC_OR_PARTITION = 3
const INVALID_TOPIC_EXCEPTION = 17
const TOPIC_AUTHORIZATION_FAILED = 29
const GROUP_AUTHORIZATION_FAILED = 30
const CLUSTER_AUTHORIZATION_FAILED = 31
const TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53
const OPERATION_NOT_ATTEMPTED = 55

const broker = useAclBroker(['txn-out', 'txn-in', 'txn-secret', 'txn-fleeting'])
const acl = anonymousAcl
const authorizer = () => broker.authorizer
const allow = broker.allow
const revoke = (binding: AclBinding) => authorizer().delete(binding)

beforeAll(() => {
  allow(ResourceType.TOPIC, 'txn-out', AclOperation.WRITE)
  allow(ResourceType.TOPIC, 'txn-in', AclOperation.READ)
  allow(ResourceType.TRANSACTIONAL_ID, 'tx-ok', AclOperation.WRITE)
  allow(ResourceType.TRANSACTIONAL_ID, 'tx-offsets', AclOperation.WRITE)
  allow(ResourceType.GROUP, 'g-ok', AclOperation.READ)
})

const initIdempotent = async () =>
  (await broker.client.cluster.request(NODE, 'InitProducerId', createInitProducerIdRequest({ transactionalId: null })))
    .errorCode

describe('transactional and idempotent producers under ACLs', () => {
  it('InitProducerId needs WRITE on the transactional id; without one cluster IDEMPOTENT_WRITE or WRITE on some topic', async () => {
    expect((await initTransactional(broker.client, NODE, 'tx-none')).errorCode).toBe(
      TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    )
    expect((await initTransactional(broker.client, NODE, 'tx-ok')).errorCode).toBe(0)

    // WRITE on txn-out is WRITE on some topic (KIP-679), so an idempotent producer gets its id.
    expect(await initIdempotent()).toBe(0)
    const writeOut = acl(ResourceType.TOPIC, 'txn-out', AclOperation.WRITE)
    revoke(writeOut)
    expect(await initIdempotent()).toBe(CLUSTER_AUTHORIZATION_FAILED)
    const idempotentWrite = acl(ResourceType.CLUSTER, 'kafka-cluster', AclOperation.IDEMPOTENT_WRITE)
    authorizer().add(idempotentWrite)
    expect(await initIdempotent()).toBe(0)
    revoke(idempotentWrite)
    // A prefixed ALLOW counts unless a DENY prefix covers it.
    authorizer().add(acl(ResourceType.TOPIC, 'logs-', AclOperation.WRITE, { patternType: PatternType.PREFIXED }))
    expect(await initIdempotent()).toBe(0)
    const denyLogs = acl(ResourceType.TOPIC, 'log', AclOperation.WRITE, {
      patternType: PatternType.PREFIXED,
      permissionType: PermissionType.DENY,
    })
    authorizer().add(denyLogs)
    expect(await initIdempotent()).toBe(CLUSTER_AUTHORIZATION_FAILED)
    authorizer().add(writeOut)
  })

  it('AddPartitionsToTxn needs WRITE on the id and on every topic, or adds nothing', async () => {
    // Without WRITE the missing topic would be refused before its absence shows.
    allow(ResourceType.TOPIC, 'no-such-topic', AclOperation.WRITE)
    const producer = await initTransactional(broker.client, NODE, 'tx-ok')
    const refused = await addPartitions(broker.client, NODE, producer, [
      ['txn-out', 0],
      ['txn-secret', 0],
      ['no-such-topic', 0],
      ['nor-this-one', 0],
    ])
    expect(Object.fromEntries(refused)).toEqual({
      'txn-out-0': OPERATION_NOT_ATTEMPTED,
      'txn-secret-0': TOPIC_AUTHORIZATION_FAILED,
      'no-such-topic-0': UNKNOWN_TOPIC_OR_PARTITION,
      'nor-this-one-0': TOPIC_AUTHORIZATION_FAILED,
    })
    const stranger: TransactionalProducer = { transactionalId: 'tx-none', producerId: 1n, producerEpoch: 0 }
    expect(Object.fromEntries(await addPartitions(broker.client, NODE, stranger, [['txn-out', 0]]))).toEqual({
      'txn-out-0': TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    })
    expect(Object.fromEntries(await addPartitions(broker.client, NODE, producer, [['txn-out', 0]]))).toEqual({
      'txn-out-0': 0,
    })
    // The batched form is for brokers only: CLUSTER_ACTION on the cluster.
    const batched = await broker.client.cluster.request(
      NODE,
      'AddPartitionsToTxn',
      createAddPartitionsToTxnRequest({
        transactions: [
          {
            transactionalId: 'tx-ok',
            producerId: producer.producerId,
            producerEpoch: producer.producerEpoch,
            verifyOnly: true,
            topics: [{ name: 'txn-out', partitions: [0] }],
          },
        ],
      }),
      { version: 4 },
    )
    expect(batched.errorCode).toBe(CLUSTER_AUTHORIZATION_FAILED)
    expect((await endTransaction(broker.client, NODE, producer, false)).errorCode).toBe(0)
  })

  it('AddOffsetsToTxn and TxnOffsetCommit need WRITE on the id and READ on the group; the commit READ on each topic', async () => {
    const producer = await initTransactional(broker.client, NODE, 'tx-offsets')
    const addOffsets = async (transactionalId: string, groupId: string) =>
      (
        await broker.client.cluster.request(
          NODE,
          'AddOffsetsToTxn',
          createAddOffsetsToTxnRequest({ ...producer, transactionalId, groupId }),
        )
      ).errorCode
    expect(await addOffsets('tx-none', 'g-ok')).toBe(TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    expect(await addOffsets('tx-offsets', 'g-none')).toBe(GROUP_AUTHORIZATION_FAILED)
    expect(await addOffsets('tx-offsets', 'g-ok')).toBe(0)

    const commit = async (transactionalId: string, groupId: string) => {
      const body = createTxnOffsetCommitRequest({
        ...producer,
        transactionalId,
        groupId,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        topics: ['txn-in', 'txn-out'].map((name) => ({
          name,
          partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: '' }],
        })),
      })
      const answer = await broker.client.cluster.request(NODE, 'TxnOffsetCommit', body)
      return Object.fromEntries(answer.topics.map((t) => [t.name, t.partitions[0]?.errorCode]))
    }
    expect(await commit('tx-none', 'g-ok')).toEqual({
      'txn-in': TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      'txn-out': TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    })
    expect(await commit('tx-offsets', 'g-none')).toEqual({
      'txn-in': GROUP_AUTHORIZATION_FAILED,
      'txn-out': GROUP_AUTHORIZATION_FAILED,
    })
    // WRITE on txn-out does not allow committing offsets for it: that takes READ.
    expect(await commit('tx-offsets', 'g-ok')).toEqual({ 'txn-in': 0, 'txn-out': TOPIC_AUTHORIZATION_FAILED })

    const stranger = { ...producer, transactionalId: 'tx-none' }
    expect((await endTransaction(broker.client, NODE, stranger, true)).errorCode).toBe(
      TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    )
    expect((await endTransaction(broker.client, NODE, producer, true)).errorCode).toBe(0)
  })

  it('DescribeTransactions and ListTransactions show only ids and topics the principal may DESCRIBE', async () => {
    const hiddenWrite = acl(ResourceType.TRANSACTIONAL_ID, 'tx-hidden', AclOperation.WRITE)
    const fleetingWrite = acl(ResourceType.TOPIC, 'txn-fleeting', AclOperation.WRITE)
    authorizer().add(hiddenWrite)
    authorizer().add(fleetingWrite)
    const hidden = await initTransactional(broker.client, NODE, 'tx-hidden')
    expect(Object.fromEntries(await addPartitions(broker.client, NODE, hidden, [['txn-out', 0]]))).toEqual({
      'txn-out-0': 0,
    })
    const shown = await initTransactional(broker.client, NODE, 'tx-ok')
    const added = await addPartitions(broker.client, NODE, shown, [
      ['txn-out', 0],
      ['txn-fleeting', 0],
    ])
    expect(Object.fromEntries(added)).toEqual({ 'txn-out-0': 0, 'txn-fleeting-0': 0 })
    revoke(hiddenWrite)
    revoke(fleetingWrite)

    const listed = await broker.client.cluster.request(NODE, 'ListTransactions', createListTransactionsRequest({}))
    const ids = listed.transactionStates.map((t) => t.transactionalId)
    expect(ids).toContain('tx-ok')
    expect(ids).not.toContain('tx-hidden')

    const described = await broker.client.cluster.request(
      NODE,
      'DescribeTransactions',
      createDescribeTransactionsRequest({ transactionalIds: ['tx-hidden', 'tx-ok'] }),
    )
    expect(described.transactionStates.map((t) => [t.transactionalId, t.errorCode])).toEqual([
      ['tx-hidden', TRANSACTIONAL_ID_AUTHORIZATION_FAILED],
      ['tx-ok', 0],
    ])
    expect(described.transactionStates[0]?.topics).toEqual([])
    // txn-fleeting is in the transaction but no longer visible to the principal.
    expect(described.transactionStates[1]?.topics.map((t) => t.topic)).toEqual(['txn-out'])
    expect((await endTransaction(broker.client, NODE, shown, false)).errorCode).toBe(0)
  })

  it('Produce checks the transactional id only of transactional batches', async () => {
    const stranger: TransactionalProducer = { transactionalId: 'tx-none', producerId: 77n, producerEpoch: 0 }
    const options = { transactionalId: 'tx-none' }
    const refused = await produce(broker.client, NODE, 'txn-out', 0, await transactionalBatch(stranger, 0), options)
    expect(refused.errorCode).toBe(TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    // A plain batch needs only WRITE on the topic, whatever transactional id rides along.
    const plain = await produce(broker.client, NODE, 'txn-out', 0, await batch(records(1)), options)
    expect(plain.errorCode).toBe(0)
  })

  it('DescribeProducers needs READ on each topic, after checking the name', async () => {
    const answer = await broker.client.cluster.request(
      NODE,
      'DescribeProducers',
      createDescribeProducersRequest({
        topics: ['txn-out', 'txn-in', 'bad name!'].map((name) => ({ name, partitionIndexes: [0] })),
      }),
    )
    expect(answer.topics.map((t) => [t.name, t.partitions[0]?.errorCode])).toEqual([
      ['txn-out', TOPIC_AUTHORIZATION_FAILED],
      ['txn-in', 0],
      ['bad name!', INVALID_TOPIC_EXCEPTION],
    ])
    expect(answer.topics[0]?.partitions[0]?.errorMessage).toBe('Topic authorization failed.')
  })
})
