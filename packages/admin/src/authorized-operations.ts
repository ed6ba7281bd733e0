import { AclOperation, AUTHORIZED_OPERATIONS_OMITTED } from '@kafkit/protocol'

/**
 * Authorized operations as Kafka reports them (a bitfield of ACL operation
 * codes in Metadata, DescribeCluster, DescribeGroups...), named as Java's
 * AclOperation.
 */
export type AclOperationName = keyof typeof AclOperation

/** Operation names by code. */
const OPERATIONS = Object.entries(AclOperation)
  .sort(([, a], [, b]) => a - b)
  .map(([name]) => name as AclOperationName)

/** The operations a bitfield grants, or undefined when the broker was not asked (or could not say). */
export function authorizedOperations(bits: number): AclOperationName[] | undefined {
  if (bits === AUTHORIZED_OPERATIONS_OMITTED) return undefined
  return OPERATIONS.filter((_name, code) => code > 2 && (bits & (1 << code)) !== 0)
}
