// @kafkit/consumer: the poll-based consumer (fetcher, offsets, group membership) and the partition assignors.
export * from './assignors/index.js'
export { Consumer, type ConsumerHooks, type PollOptions } from './consumer.js'
export { CommitFailedError, ConsumerClosedError, NoOffsetForPartitionError, OffsetOutOfRangeError } from './errors.js'
export type { PartitionRecords } from './fetch/completed-fetch.js'
export { FetchSession } from './fetch/fetch-session.js'
export { Fetcher } from './fetch/fetcher.js'
export type { AssignmentListener, GroupMembership, GroupMetadata } from './group/group-membership.js'
export {
  createMembership,
  type MembershipConstructor,
  type MembershipContext,
  registerMembership,
} from './group/membership-factory.js'
export type { CommittedOffset, OffsetToCommit } from './offsets/committed-offsets.js'
export type {
  AssignorName,
  AutoOffsetReset,
  ConsumerOptions,
  GroupProtocol,
  IsolationLevel,
  ResolvedConsumerOptions,
} from './options.js'
export { resolveConsumerOptions } from './options.js'
export type { ConsumerRebalanceListener } from './rebalance-listener.js'
export type { FetchPosition } from './subscription-state.js'
