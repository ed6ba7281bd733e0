export { type ClassicMemberState, ClassicMembership } from './classic-membership.js'
export {
  type ClassicMembershipOptions,
  checkClassicOptions,
  rebalanceProtocolOf,
} from './classic-membership-options.js'
