/**
 * @kafkit/admin: topics, partitions, configs, consumer groups and offsets,
 * records, cluster, ACLs, SCRAM users, quotas and transactions, one call each.
 */

export { Admin } from './admin.js'
export { type AdminEntryFailure, AdminPartialFailureError } from './admin-error.js'
export type { AdminOptions } from './admin-options.js'
export type { AclOperationName } from './authorized-operations.js'
export type {
  AlterPartitionReassignmentsRequest,
  PartitionReassignmentTarget,
} from './cluster/alter-partition-reassignments.js'
export type { ClusterBroker, ClusterDescription, DescribeClusterOptions } from './cluster/describe-cluster.js'
export type { FeatureMetadata } from './cluster/describe-features.js'
export type { BrokerLogDirs, LogDirDescription, ReplicaLogInfo } from './cluster/describe-log-dirs.js'
export type { ElectionType, ElectLeadersRequest } from './cluster/elect-leaders.js'
export type {
  ListPartitionReassignmentsRequest,
  OngoingReassignment,
  PartitionReassignments,
} from './cluster/list-partition-reassignments.js'
export type {
  AlterConfigOperation,
  AlterConfigsRequest,
  AlteredConfigs,
  IncrementalAlterConfigsRequest,
  IncrementalConfigEntry,
} from './configs/alter-configs.js'
export {
  type ConfigResourceType,
  ConfigResourceTypes,
  type ConfigSource,
  type ConfigType,
} from './configs/config-entry.js'
export type { ConfigResource } from './configs/config-resources.js'
export type {
  ConfigEntry,
  ConfigSynonym,
  DescribeConfigsRequest,
  DescribeConfigsResource,
  DescribedConfigs,
} from './configs/describe-configs.js'
export type { AlterGroupOffsetsRequest, GroupOffset } from './groups/alter-offsets.js'
export type { MemberAssignment, MemberSubscription } from './groups/consumer-protocol-bytes.js'
export type { DeletedGroup } from './groups/delete-groups.js'
export type { DeleteGroupOffsetsRequest } from './groups/delete-offsets.js'
export type {
  DescribeGroupsOptions,
  DescribeGroupsResult,
  GroupDescription,
  GroupMemberDescription,
} from './groups/describe-groups.js'
export type { FetchOffsetsRequest, GroupPartitionOffset, GroupTopicOffsets } from './groups/fetch-offsets.js'
export { ActiveGroupError } from './groups/group-errors.js'
export type { FetchGroupLagRequest, GroupLag, PartitionLag } from './groups/group-lag.js'
export type { ResetOffsetsRequest, SetOffsetsRequest } from './groups/kafkajs-offsets.js'
export {
  GROUP_TYPES,
  type GroupType,
  type ListedGroup,
  type ListGroupsOptions,
  type ListGroupsResult,
} from './groups/list-groups.js'
export type { ResetGroupOffsetsRequest, ResetOffset, ResetTarget } from './groups/reset-offsets.js'
export type { TopicPartition, TopicPartitionList, TopicPartitions, TopicSelection } from './groups/topic-partitions.js'
export type {
  DeletedRecords,
  DeleteRecordsRequest,
  DeleteTopicRecordsRequest,
  RecordsToDelete,
} from './records/delete-records.js'
export type {
  IsolationLevel,
  ListedOffset,
  ListOffsetsRequest,
  OffsetQuery,
  OffsetSpec,
} from './records/list-offsets.js'
export type { PartitionOffsets, TopicOffsetsOptions } from './records/topic-offsets.js'
export type {
  AclBinding,
  AclBindingInput,
  AclFilter,
  AclOperationType,
  AclPatternType,
  AclPermissionType,
  AclResourceType,
} from './security/acl-binding.js'
export type {
  AclResource,
  CreateAclsRequest,
  DeleteAclsFilterResult,
  DeleteAclsRequest,
  DeleteAclsResult,
  DescribeAclsResult,
} from './security/acls.js'
export type {
  ClientQuotaAlteration,
  ClientQuotaDescription,
  ClientQuotaEntity,
  ClientQuotaEntityType,
  ClientQuotaFilter,
  ClientQuotaFilterComponent,
} from './security/client-quotas.js'
export type {
  ScramCredentialDeletion,
  ScramCredentialInfo,
  ScramCredentialUpsertion,
  ScramMechanism,
  UserScramCredentialAlteration,
  UserScramCredentialsDescription,
} from './security/scram-credentials.js'
export type { CreatedPartitions, CreatePartitionsRequest, NewPartitions } from './topics/create-partitions.js'
export type { CreatedTopic, CreatedTopicConfig, CreateTopicsRequest, NewTopic } from './topics/create-topics.js'
export type { DeletedTopic, DeleteTopicsRequest } from './topics/delete-topics.js'
export type {
  DescribeTopicsRequest,
  PartitionDescription,
  PartitionFilter,
  TopicDescription,
} from './topics/describe-topics.js'
export type { ListTopicsOptions, TopicListing } from './topics/list-topics.js'
export type { DescribeProducersRequest, PartitionProducers, ProducerState } from './transactions/describe-producers.js'
export type { TransactionDescription } from './transactions/describe-transactions.js'
export type { ListTransactionsOptions, TransactionListing } from './transactions/list-transactions.js'
