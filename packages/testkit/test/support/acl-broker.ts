import { beforeAll } from 'vitest'
import { type AclBinding, PatternType, PermissionType } from '../../src/embedded/security/acl-binding.js'
import type { Authorizer } from '../../src/embedded/security/authorizer.js'
import { securityOf } from '../../src/embedded/security/security-state.js'
import { type SingleBroker, useSingleBroker } from './single-broker.js'

/** The principal of every plaintext client. */
export const ANONYMOUS = 'User:ANONYMOUS'

/** An ACL for User:ANONYMOUS from any host: a literal ALLOW unless `options` say otherwise. */
export function anonymousAcl(
  resourceType: number,
  resourceName: string,
  operation: number,
  options: { patternType?: number; permissionType?: number } = {},
): AclBinding {
  return {
    resourceType,
    resourceName,
    patternType: options.patternType ?? PatternType.LITERAL,
    principal: ANONYMOUS,
    host: '*',
    operation,
    permissionType: options.permissionType ?? PermissionType.ALLOW,
  }
}

export interface AclBroker extends SingleBroker {
  readonly authorizer: Authorizer
  /** Adds a literal ALLOW ACL for User:ANONYMOUS. */
  allow(resourceType: number, resourceName: string, operation: number): void
}

/**
 * The single-broker fixture enforcing ACLs, with `topics` (one partition
 * each). Only User:admin is a super user and allow.everyone.if.no.acl.found
 * is off, so the client (User:ANONYMOUS) may do only what the test's ACLs allow.
 */
export function useAclBroker(topics: readonly string[]): AclBroker {
  const single = useSingleBroker('acl', { authorizer: { superUsers: ['User:admin'] } })
  beforeAll(() => {
    for (const name of topics) single.kafka.control.state.createTopic(name, 1, 1)
  })
  const authorizer = () => {
    const found = securityOf(single.kafka.control.state).authorizer
    if (!found) throw new Error('the embedded broker was started without an authorizer')
    return found
  }
  return {
    get kafka() {
      return single.kafka
    },
    get client() {
      return single.client
    },
    topic: (partitions, configs) => single.topic(partitions, configs),
    get authorizer() {
      return authorizer()
    },
    allow(resourceType, resourceName, operation) {
      authorizer().add(anonymousAcl(resourceType, resourceName, operation))
    },
  }
}
