import {
  type AclBinding,
  type AclBindingFilter,
  AclOperation,
  filterMatches,
  PatternType,
  PermissionType,
  sameAcl,
  WILDCARD,
} from './acl-binding.js'

export interface AuthorizerOptions {
  /** Principals allowed everything, like Kafka's super.users (e.g. ['User:admin']). */
  superUsers?: string[]
  /** Allow a request on a resource that no ACL names (allow.everyone.if.no.acl.found, default false as in Kafka). */
  allowEveryoneIfNoAclFound?: boolean
}

/** ALLOW ACLs for these operations also allow DESCRIBE; ALTER_CONFIGS also allows DESCRIBE_CONFIGS. */
const IMPLIES_DESCRIBE: readonly number[] = [
  AclOperation.DESCRIBE,
  AclOperation.READ,
  AclOperation.WRITE,
  AclOperation.DELETE,
  AclOperation.ALTER,
]
const IMPLIES_DESCRIBE_CONFIGS: readonly number[] = [AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS]

/**
 * The ACLs of an embedded cluster and the decisions Kafka's StandardAuthorizer
 * takes with them: super users may do everything; otherwise a matching DENY
 * wins over any ALLOW, an ALLOW for READ, WRITE, DELETE or ALTER implies
 * DESCRIBE (ALTER_CONFIGS implies DESCRIBE_CONFIGS; DENY implies nothing),
 * and a resource that no ACL names is allowed only with
 * `allowEveryoneIfNoAclFound`. Principals match exactly or through `User:*`,
 * hosts exactly or through `*`.
 */
export class Authorizer {
  readonly #acls: AclBinding[] = []
  readonly superUsers: ReadonlySet<string>
  readonly allowEveryoneIfNoAclFound: boolean

  constructor(options: AuthorizerOptions) {
    this.superUsers = new Set(options.superUsers ?? [])
    this.allowEveryoneIfNoAclFound = options.allowEveryoneIfNoAclFound ?? false
  }

  get acls(): readonly AclBinding[] {
    return this.#acls
  }

  /** Adds an ACL; adding one that exists already changes nothing, as in Kafka. */
  add(acl: AclBinding): void {
    if (!this.#acls.some((existing) => sameAcl(existing, acl))) this.#acls.push({ ...acl })
  }

  describe(filter: AclBindingFilter): AclBinding[] {
    return this.#acls.filter((acl) => filterMatches(filter, acl))
  }

  /** Removes and returns the ACLs matching `filter`. */
  delete(filter: AclBindingFilter): AclBinding[] {
    const removed = this.describe(filter)
    for (const acl of removed) this.#acls.splice(this.#acls.indexOf(acl), 1)
    return removed
  }

  /** Whether `principal` connecting from `host` may perform `operation` on the named resource. */
  authorize(principal: string, host: string, operation: number, resourceType: number, resourceName: string): boolean {
    if (this.superUsers.has(principal)) return true
    let foundResourceAcls = false
    let allowed = false
    for (const acl of this.#acls) {
      if (acl.resourceType !== resourceType || !namesResource(acl, resourceName)) continue
      foundResourceAcls = true
      if (acl.principal !== principal && acl.principal !== `${principal.split(':')[0]}:${WILDCARD}`) continue
      if (acl.host !== host && acl.host !== WILDCARD) continue
      if (!coversOperation(acl, operation)) continue
      if (acl.permissionType === PermissionType.DENY) return false
      allowed = true
    }
    return allowed || (!foundResourceAcls && this.allowEveryoneIfNoAclFound)
  }

  /**
   * Whether `principal` may perform `operation` on at least one resource of
   * the type, as Kafka's Authorizer.authorizeByResourceType decides it: a
   * resource named by no ACL (checked with a made-up name) or super user
   * allows; otherwise some ALLOW pattern for exactly this operation (or ALL;
   * nothing is implied here) must survive the DENY patterns: a literal `*`
   * DENY refuses all, a literal DENY cancels the same literal, a prefixed
   * DENY every ALLOW that starts with it.
   */
  authorizeByResourceType(principal: string, host: string, operation: number, resourceType: number): boolean {
    if (this.authorize(principal, host, operation, resourceType, 'hardcode')) return true
    const denyLiterals = new Set<string>()
    const denyPrefixes = new Set<string>()
    const allows: AclBinding[] = []
    for (const acl of this.#acls) {
      if (acl.resourceType !== resourceType) continue
      if (acl.host !== host && acl.host !== WILDCARD) continue
      if (acl.principal !== principal && acl.principal !== `User:${WILDCARD}`) continue
      if (acl.operation !== operation && acl.operation !== AclOperation.ALL) continue
      if (acl.permissionType === PermissionType.ALLOW) {
        allows.push(acl)
        continue
      }
      if (acl.patternType === PatternType.PREFIXED) denyPrefixes.add(acl.resourceName)
      else if (acl.resourceName === WILDCARD) return false
      else denyLiterals.add(acl.resourceName)
    }
    if (allows.some((acl) => acl.patternType === PatternType.LITERAL && acl.resourceName === WILDCARD)) return true
    return allows.some((acl) => {
      if (acl.patternType === PatternType.LITERAL && denyLiterals.has(acl.resourceName)) return false
      return ![...denyPrefixes].some((prefix) => acl.resourceName.startsWith(prefix))
    })
  }
}

function namesResource(acl: AclBinding, name: string): boolean {
  if (acl.patternType === PatternType.PREFIXED) return name.startsWith(acl.resourceName)
  return acl.resourceName === name || acl.resourceName === WILDCARD
}

function coversOperation(acl: AclBinding, operation: number): boolean {
  if (acl.operation === AclOperation.ALL || acl.operation === operation) return true
  if (acl.permissionType !== PermissionType.ALLOW) return false
  if (operation === AclOperation.DESCRIBE) return IMPLIES_DESCRIBE.includes(acl.operation)
  if (operation === AclOperation.DESCRIBE_CONFIGS) return IMPLIES_DESCRIBE_CONFIGS.includes(acl.operation)
  return false
}
