/**
 * @kafkit/admin: topics, partitions, configs, consumer groups and offsets,
 * records, cluster, ACLs, SCRAM users, quotas and transactions, one call each.
 */

export { Admin } from './admin.js'
export { type AdminEntryFailure, AdminPartialFailureError } from './admin-error.js'
export type { AdminOptions } from './admin-options.js'
