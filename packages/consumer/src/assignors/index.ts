export {
  CONSUMER_PROTOCOL_TYPE,
  CONSUMER_PROTOCOL_VERSION,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from './consumer-protocol.js'
export { CooperativeStickyAssignor } from './cooperative-sticky-assignor.js'
export { RangeAssignor } from './range-assignor.js'
export { RoundRobinAssignor } from './round-robin-assignor.js'
export { StickyAssignor } from './sticky-assignor.js'
export {
  decodeCooperativeUserData,
  decodeStickyUserData,
  encodeCooperativeUserData,
  encodeStickyUserData,
  type MemberData,
} from './sticky-user-data.js'
export type {
  Assignment,
  Assignor,
  ClusterPartitions,
  GroupMember,
  MemberHistory,
  PartitionMetadata,
  RebalanceProtocol,
  Subscription,
  TopicPartition,
} from './types.js'
