import type { KafkaClient } from '@kafkit/client'
import { type AdminOptions, resolveAdminOptions } from './admin-options.js'
import { AdminRouter } from './admin-router.js'
import {
  type AlterPartitionReassignmentsRequest,
  alterPartitionReassignments,
} from './cluster/alter-partition-reassignments.js'
import { type ClusterDescription, type DescribeClusterOptions, describeCluster } from './cluster/describe-cluster.js'
import { describeFeatures, type FeatureMetadata } from './cluster/describe-features.js'
import { type BrokerLogDirs, describeLogDirs } from './cluster/describe-log-dirs.js'
import { type ElectLeadersRequest, electLeaders } from './cluster/elect-leaders.js'
import {
  type ListPartitionReassignmentsRequest,
  listPartitionReassignments,
  type PartitionReassignments,
} from './cluster/list-partition-reassignments.js'
import {
  type AlterConfigsRequest,
  type AlteredConfigs,
  alterConfigs,
  type IncrementalAlterConfigsRequest,
  incrementalAlterConfigs,
} from './configs/alter-configs.js'
import { type DescribeConfigsRequest, type DescribedConfigs, describeConfigs } from './configs/describe-configs.js'
import { type AlterGroupOffsetsRequest, alterGroupOffsets, type GroupOffset } from './groups/alter-offsets.js'
import { type DeletedGroup, deleteGroups } from './groups/delete-groups.js'
import { type DeleteGroupOffsetsRequest, deleteGroupOffsets } from './groups/delete-offsets.js'
import { type DescribeGroupsOptions, type DescribeGroupsResult, describeGroups } from './groups/describe-groups.js'
import { type FetchOffsetsRequest, fetchOffsets, type GroupTopicOffsets } from './groups/fetch-offsets.js'
import { type FetchGroupLagRequest, fetchGroupLag, type GroupLag } from './groups/group-lag.js'
import { type ResetOffsetsRequest, resetOffsets, type SetOffsetsRequest, setOffsets } from './groups/kafkajs-offsets.js'
import { type ListGroupsOptions, type ListGroupsResult, listGroups } from './groups/list-groups.js'
import { type ResetGroupOffsetsRequest, type ResetOffset, resetGroupOffsets } from './groups/reset-offsets.js'
import type { TopicPartition } from './groups/topic-partitions.js'
import {
  type DeletedRecords,
  type DeleteRecordsRequest,
  type DeleteTopicRecordsRequest,
  deleteRecords,
  deleteTopicRecords,
} from './records/delete-records.js'
import { type ListedOffset, type ListOffsetsRequest, listOffsets } from './records/list-offsets.js'
import {
  fetchTopicOffsets,
  fetchTopicOffsetsByTimestamp,
  type PartitionOffsets,
  type TopicOffsetsOptions,
} from './records/topic-offsets.js'
import type { AclBinding, AclFilter } from './security/acl-binding.js'
import {
  type CreateAclsRequest,
  createAcls,
  type DeleteAclsRequest,
  type DeleteAclsResult,
  type DescribeAclsResult,
  deleteAcls,
  describeAcls,
} from './security/acls.js'
import {
  alterClientQuotas,
  type ClientQuotaAlteration,
  type ClientQuotaDescription,
  type ClientQuotaEntity,
  type ClientQuotaFilter,
  describeClientQuotas,
} from './security/client-quotas.js'
import {
  alterUserScramCredentials,
  describeUserScramCredentials,
  type UserScramCredentialAlteration,
  type UserScramCredentialsDescription,
} from './security/scram-credentials.js'
import { type CreatedPartitions, type CreatePartitionsRequest, createPartitions } from './topics/create-partitions.js'
import { type CreatedTopic, type CreateTopicsRequest, createTopics } from './topics/create-topics.js'
import { type DeletedTopic, type DeleteTopicsRequest, deleteTopics } from './topics/delete-topics.js'
import { type DescribeTopicsRequest, describeTopics, type TopicDescription } from './topics/describe-topics.js'
import { type ListTopicsOptions, listTopicListings, listTopics, type TopicListing } from './topics/list-topics.js'
import {
  type DescribeProducersRequest,
  describeProducers,
  type PartitionProducers,
} from './transactions/describe-producers.js'
import { describeTransactions, type TransactionDescription } from './transactions/describe-transactions.js'
import {
  type ListTransactionsOptions,
  listTransactions,
  type TransactionListing,
} from './transactions/list-transactions.js'

/**
 * The admin client: `kafka.admin()`. Every call is routed to the broker that
 * must answer it (the controller for topic and partition changes, the leader
 * for records and offsets, the group or transaction coordinator) and retried
 * on retriable errors until `requestTimeoutMs`, as Java's admin client does.
 * A call about several entries resolves when all succeeded and rejects with
 * `AdminPartialFailureError` (which entries failed and why) otherwise.
 *
 * The operations live in one file per area (topics/, configs/, groups/, ...);
 * this class gives them one flat API, like Java's `Admin`.
 */
export class Admin {
  /** Sends each request to the broker that must answer it; what every area's operations build on. */
  readonly #router: AdminRouter

  constructor(
    readonly client: KafkaClient,
    options: AdminOptions = {},
  ) {
    this.#router = new AdminRouter(client, resolveAdminOptions(options))
  }

  async connect(): Promise<void> {
    await this.client.connect()
  }

  async disconnect(): Promise<void> {
    await this.client.close()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect()
  }

  // --- topics, partitions, records and offsets (topics/, records/) ---

  /** Creates topics (`kafka-topics --create`): partitions and replication factor, or an explicit assignment; configs; validateOnly. */
  createTopics(request: CreateTopicsRequest): Promise<CreatedTopic[]> {
    return createTopics(this.#router, request)
  }

  /** Deletes topics by name and/or id (`kafka-topics --delete`). */
  deleteTopics(request: DeleteTopicsRequest): Promise<DeletedTopic[]> {
    return deleteTopics(this.#router, request)
  }

  /** The names of the cluster's topics (`kafka-topics --list`); internal ones only with listInternal. */
  listTopics(options?: ListTopicsOptions): Promise<string[]> {
    return listTopics(this.#router, options)
  }

  /** The cluster's topics with their ids and internal flag (Java's listTopics().listings()). */
  listTopicListings(options?: ListTopicsOptions): Promise<TopicListing[]> {
    return listTopicListings(this.#router, options)
  }

  /** Partitions, leaders, replicas, ISR and ids of topics (`kafka-topics --describe`), optionally only under-replicated or unavailable partitions. */
  describeTopics(request?: DescribeTopicsRequest): Promise<TopicDescription[]> {
    return describeTopics(this.#router, request)
  }

  /** Grows topics to a new partition count (`kafka-topics --alter --partitions`). */
  createPartitions(request: CreatePartitionsRequest): Promise<CreatedPartitions[]> {
    return createPartitions(this.#router, request)
  }

  /** Deletes the records before an offset of each partition (`kafka-delete-records`). */
  deleteRecords(request: DeleteRecordsRequest): Promise<DeletedRecords[]> {
    return deleteRecords(this.#router, request)
  }

  /** kafkajs's deleteTopicRecords: deleteRecords for the partitions of one topic. */
  deleteTopicRecords(request: DeleteTopicRecordsRequest): Promise<DeletedRecords[]> {
    return deleteTopicRecords(this.#router, request)
  }

  /** Offsets of partitions: earliest, latest, max timestamp, or at a timestamp (`kafka-get-offsets`). */
  listOffsets(request: ListOffsetsRequest): Promise<ListedOffset[]> {
    return listOffsets(this.#router, request)
  }

  /** The earliest and latest offset of each partition of a topic (kafkajs's fetchTopicOffsets). */
  fetchTopicOffsets(topic: string, options?: TopicOffsetsOptions): Promise<PartitionOffsets[]> {
    return fetchTopicOffsets(this.#router, topic, options)
  }

  /** Each partition's first offset at or after a timestamp (ms), or its end (kafkajs's fetchTopicOffsetsByTimestamp). */
  fetchTopicOffsetsByTimestamp(
    topic: string,
    timestamp?: number | bigint,
    options?: TopicOffsetsOptions,
  ): Promise<{ partition: number; offset: bigint }[]> {
    return fetchTopicOffsetsByTimestamp(this.#router, topic, timestamp, options)
  }

  // --- configs (configs/) ---

  /** Configs of topics and brokers with sources, and optionally synonyms and documentation (`kafka-configs --describe`). */
  describeConfigs(request: DescribeConfigsRequest): Promise<DescribedConfigs[]> {
    return describeConfigs(this.#router, request)
  }

  /** Sets, deletes, appends to or subtracts from configs (`kafka-configs --alter --add-config/--delete-config`). */
  incrementalAlterConfigs(request: IncrementalAlterConfigsRequest): Promise<AlteredConfigs[]> {
    return incrementalAlterConfigs(this.#router, request)
  }

  /** Legacy AlterConfigs (kafkajs's alterConfigs): replaces all dynamic configs of each resource. */
  alterConfigs(request: AlterConfigsRequest): Promise<AlteredConfigs[]> {
    return alterConfigs(this.#router, request)
  }

  // --- cluster: describe, features, log dirs, leader election, reassignments (cluster/) ---

  /** The brokers (with racks), the controller and the cluster id; see docs/admin.md#cluster. */
  describeCluster(options?: DescribeClusterOptions): Promise<ClusterDescription> {
    return describeCluster(this.#router, options)
  }

  /** The cluster's supported and finalized feature levels (metadata.version, transaction.version...). */
  describeFeatures(): Promise<FeatureMetadata> {
    return describeFeatures(this.#router)
  }

  /** Each broker's log directories with their replicas' sizes and free space (default: every broker). */
  describeLogDirs(brokers?: readonly number[]): Promise<BrokerLogDirs[]> {
    return describeLogDirs(this.#router, brokers)
  }

  /** Elects preferred (default) or unclean leaders; the partitions whose leader changed. */
  electLeaders(request?: ElectLeadersRequest): Promise<TopicPartition[]> {
    return electLeaders(this.#router, request)
  }

  /** Moves partitions to new replicas, or cancels ongoing moves (replicas null). */
  alterPartitionReassignments(request: AlterPartitionReassignmentsRequest): Promise<TopicPartition[]> {
    return alterPartitionReassignments(this.#router, request)
  }

  /** The partition reassignments still in progress. */
  listPartitionReassignments(request?: ListPartitionReassignmentsRequest): Promise<PartitionReassignments> {
    return listPartitionReassignments(this.#router, request)
  }

  // --- consumer groups and their offsets (groups/) ---

  /** Lists the groups of every broker (`kafka-consumer-groups --list`), optionally only some states and types. */
  listGroups(options?: ListGroupsOptions): Promise<ListGroupsResult> {
    return listGroups(this.#router, options)
  }

  /** Describes groups (`kafka-consumer-groups --describe --members`): classic and consumer-protocol (KIP-848) groups alike. */
  describeGroups(groupIds: readonly string[], options?: DescribeGroupsOptions): Promise<DescribeGroupsResult> {
    return describeGroups(this.#router, groupIds, options)
  }

  /** Deletes groups without members, with their offsets (`kafka-consumer-groups --delete`). */
  deleteGroups(groupIds: readonly string[]): Promise<DeletedGroup[]> {
    return deleteGroups(this.#router, groupIds)
  }

  /** A group's committed offsets, of given topics or all it has (kafkajs's fetchOffsets, Java's listConsumerGroupOffsets). */
  fetchOffsets(request: FetchOffsetsRequest): Promise<GroupTopicOffsets[]> {
    return fetchOffsets(this.#router, request)
  }

  /** Commits offsets for a group that has no members (Java's alterConsumerGroupOffsets). */
  alterGroupOffsets(request: AlterGroupOffsetsRequest): Promise<GroupOffset[]> {
    return alterGroupOffsets(this.#router, request)
  }

  /** Moves an inactive group's offsets to earliest, latest, an offset, a time or by N (`kafka-consumer-groups --reset-offsets --execute`). */
  resetGroupOffsets(request: ResetGroupOffsetsRequest): Promise<ResetOffset[]> {
    return resetGroupOffsets(this.#router, request)
  }

  /** kafkajs's resetOffsets: one topic to its earliest (`earliest: true`) or latest offsets; the group must be inactive. */
  resetOffsets(request: ResetOffsetsRequest): Promise<ResetOffset[]> {
    return resetOffsets(this.#router, request)
  }

  /** kafkajs's setOffsets: commits offsets of one topic for an inactive group. */
  setOffsets(request: SetOffsetsRequest): Promise<GroupOffset[]> {
    return setOffsets(this.#router, request)
  }

  /** Deletes a group's offsets of some partitions (`kafka-consumer-groups --delete-offsets`). */
  deleteGroupOffsets(request: DeleteGroupOffsetsRequest): Promise<TopicPartition[]> {
    return deleteGroupOffsets(this.#router, request)
  }

  /** A group's lag per partition: committed offset against end offset, with each partition's owner (`kafka-consumer-groups --describe`). */
  fetchGroupLag(request: FetchGroupLagRequest): Promise<GroupLag> {
    return fetchGroupLag(this.#router, request)
  }

  // --- transactions and producers (transactions/) ---

  /** Lists the transactions every broker coordinates (`kafka-transactions --list`), optionally filtered. */
  listTransactions(options?: ListTransactionsOptions): Promise<TransactionListing[]> {
    return listTransactions(this.#router, options)
  }

  /** Describes transactional ids at their coordinators (`kafka-transactions describe`). */
  describeTransactions(transactionalIds: readonly string[]): Promise<TransactionDescription[]> {
    return describeTransactions(this.#router, transactionalIds)
  }

  /** The producers with state in partitions, from their leaders (`kafka-transactions describe-producers`). */
  describeProducers(request: DescribeProducersRequest): Promise<PartitionProducers[]> {
    return describeProducers(this.#router, request)
  }

  // --- ACLs, SCRAM credentials, client quotas (security/) ---

  /** Creates ACLs; resolves with them (kafka-acls --add). The broker needs an authorizer. */
  createAcls(request: CreateAclsRequest): Promise<AclBinding[]> {
    return createAcls(this.#router, request)
  }

  /** The ACLs matching a filter, grouped by resource pattern (kafka-acls --list). */
  describeAcls(filter?: AclFilter): Promise<DescribeAclsResult> {
    return describeAcls(this.#router, filter)
  }

  /** Deletes the ACLs matching each filter; resolves with what each removed (kafka-acls --remove). */
  deleteAcls(request: DeleteAclsRequest): Promise<DeleteAclsResult> {
    return deleteAcls(this.#router, request)
  }

  /** SCRAM mechanisms and iterations of the named users, or of every user (kafka-configs --describe --entity-type users). */
  describeUserScramCredentials(users?: string[]): Promise<UserScramCredentialsDescription[]> {
    return describeUserScramCredentials(this.#router, users)
  }

  /** Adds, replaces and deletes SCRAM credentials, salting passwords client-side; resolves with the users altered. */
  alterUserScramCredentials(alterations: UserScramCredentialAlteration[]): Promise<string[]> {
    return alterUserScramCredentials(this.#router, alterations)
  }

  /** The client quotas of the entities a filter selects (kafka-configs --describe --entity-type users/clients/ips). */
  describeClientQuotas(filter?: ClientQuotaFilter): Promise<ClientQuotaDescription[]> {
    return describeClientQuotas(this.#router, filter)
  }

  /** Sets and removes client quotas; resolves with the entities altered (kafka-configs --alter --add-config producer_byte_rate=...). */
  alterClientQuotas(
    alterations: ClientQuotaAlteration[],
    options?: { validateOnly?: boolean },
  ): Promise<ClientQuotaEntity[]> {
    return alterClientQuotas(this.#router, alterations, options)
  }
}
