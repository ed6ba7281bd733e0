import type { ApiMessages, ApiName } from '@kafkit/protocol'
import type { Handler, RequestContext } from '../handler.js'
import {
  alterConfigsAclGuard,
  createPartitionsGuard,
  createTopicsGuard,
  deleteRecordsGuard,
  deleteTopicsGuard,
  describeConfigsGuard,
  incrementalAlterConfigsAclGuard,
} from './admin-guards.js'
import {
  alterPartitionReassignmentsGuard,
  describeLogDirsGuard,
  electLeadersGuard,
  listPartitionReassignmentsGuard,
} from './cluster-guards.js'
import { fetchGuard, listOffsetsGuard, metadataGuard, offsetForLeaderEpochGuard, produceGuard } from './data-guards.js'
import {
  consumerGroupDescribeGuard,
  consumerGroupHeartbeatGuard,
  deleteGroupsGuard,
  describeGroupsGuard,
  findCoordinatorGuard,
  heartbeatGuard,
  initProducerIdGuard,
  joinGroupGuard,
  leaveGroupGuard,
  listGroupsGuard,
  offsetCommitGuard,
  offsetDeleteGuard,
  offsetFetchGuard,
  syncGroupGuard,
} from './group-guards.js'
import type { Guard } from './guard.js'
import { securityOf } from './security-state.js'
import {
  addOffsetsToTxnGuard,
  addPartitionsToTxnGuard,
  describeProducersGuard,
  describeTransactionsGuard,
  endTxnGuard,
  listTransactionsGuard,
  txnOffsetCommitGuard,
} from './txn-guards.js'

/** The APIs whose requests are checked against the ACLs before their handler runs. */
const GUARDS: { [N in ApiName]?: Guard<N> } = {
  Produce: produceGuard,
  Fetch: fetchGuard,
  ListOffsets: listOffsetsGuard,
  Metadata: metadataGuard,
  OffsetForLeaderEpoch: offsetForLeaderEpochGuard,
  CreateTopics: createTopicsGuard,
  DeleteTopics: deleteTopicsGuard,
  CreatePartitions: createPartitionsGuard,
  DeleteRecords: deleteRecordsGuard,
  DescribeConfigs: describeConfigsGuard,
  AlterConfigs: alterConfigsAclGuard,
  IncrementalAlterConfigs: incrementalAlterConfigsAclGuard,
  FindCoordinator: findCoordinatorGuard,
  InitProducerId: initProducerIdGuard,
  JoinGroup: joinGroupGuard,
  SyncGroup: syncGroupGuard,
  Heartbeat: heartbeatGuard,
  LeaveGroup: leaveGroupGuard,
  ConsumerGroupHeartbeat: consumerGroupHeartbeatGuard,
  ConsumerGroupDescribe: consumerGroupDescribeGuard,
  DescribeGroups: describeGroupsGuard,
  ListGroups: listGroupsGuard,
  DeleteGroups: deleteGroupsGuard,
  OffsetCommit: offsetCommitGuard,
  OffsetFetch: offsetFetchGuard,
  OffsetDelete: offsetDeleteGuard,
  ElectLeaders: electLeadersGuard,
  AlterPartitionReassignments: alterPartitionReassignmentsGuard,
  ListPartitionReassignments: listPartitionReassignmentsGuard,
  DescribeLogDirs: describeLogDirsGuard,
  AddPartitionsToTxn: addPartitionsToTxnGuard,
  AddOffsetsToTxn: addOffsetsToTxnGuard,
  EndTxn: endTxnGuard,
  TxnOffsetCommit: txnOffsetCommitGuard,
  DescribeTransactions: describeTransactionsGuard,
  ListTransactions: listTransactionsGuard,
  DescribeProducers: describeProducersGuard,
}

/**
 * Runs `handler` on `request`, first checking the request against the
 * cluster's ACLs when it has an authorizer (the embedded broker's
 * `authorizer` option); without one every request goes straight through.
 */
export async function handleAuthorized<N extends ApiName>(
  api: N,
  handler: Handler<N>,
  request: ApiMessages[N]['request'],
  context: RequestContext,
): Promise<ApiMessages[N]['response'] | null> {
  const guard = GUARDS[api] as Guard<N> | undefined
  if (!guard || !securityOf(context.cluster).authorizer) return handler.handle(request, context)
  return guard(request, context, async (allowed) => handler.handle(allowed, context))
}
