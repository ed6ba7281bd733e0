export {
  type ConsumerProtocolMemberState,
  ConsumerProtocolMembership,
} from './consumer-protocol-membership.js'
export {
  type ConsumerProtocolMembershipOptions,
  checkConsumerProtocolOptions,
  type ServerAssignorName,
} from './consumer-protocol-options.js'
