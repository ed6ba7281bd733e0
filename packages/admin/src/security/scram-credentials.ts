import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { errorFromCode, InvalidMessageError } from '@kafkit/protocol'
import { type AdminEntryFailure, unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512'

/** One credential of a user: never the password or keys, only how they were made. */
export interface ScramCredentialInfo {
  mechanism: ScramMechanism
  iterations: number
}

export interface UserScramCredentialsDescription {
  user: string
  credentialInfos: ScramCredentialInfo[]
}

/** Sets (adds or replaces) a user's credential for one mechanism (Java's UserScramCredentialUpsertion). */
export interface ScramCredentialUpsertion {
  type: 'upsert'
  user: string
  mechanism: ScramMechanism
  password: string
  /** PBKDF2 iterations, 4096 to 16384 (default 4096, as kafka-configs). */
  iterations?: number
  /** Default: a random one, as Java's admin makes it. */
  salt?: Buffer
}

/** Removes a user's credential for one mechanism (Java's UserScramCredentialDeletion). */
export interface ScramCredentialDeletion {
  type: 'delete'
  user: string
  mechanism: ScramMechanism
}

export type UserScramCredentialAlteration = ScramCredentialUpsertion | ScramCredentialDeletion

const MECHANISMS: Record<ScramMechanism, { code: number; hash: 'sha256' | 'sha512'; bytes: number }> = {
  'SCRAM-SHA-256': { code: 1, hash: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { code: 2, hash: 'sha512', bytes: 64 },
}
const DEFAULT_ITERATIONS = 4096

function mechanismOf(code: number): ScramMechanism | undefined {
  return (Object.keys(MECHANISMS) as ScramMechanism[]).find((name) => MECHANISMS[name].code === code)
}

/**
 * The SCRAM mechanisms and iterations of the named users, or of every user
 * with credentials when `users` is omitted or empty
 * (DescribeUserScramCredentials). Rejects with AdminPartialFailureError for
 * users without credentials (ResourceNotFoundError).
 */
export async function describeUserScramCredentials(
  router: AdminRouter,
  users?: string[],
): Promise<UserScramCredentialsDescription[]> {
  if (users !== undefined && (!Array.isArray(users) || users.some((user) => typeof user !== 'string' || user === ''))) {
    throw new InvalidMessageError(
      "describeUserScramCredentials(users) takes user names, e.g. ['alice'], or nothing for every user",
    )
  }
  const response = await router.toAny('DescribeUserScramCredentials', {
    users: users && users.length > 0 ? users.map((name) => ({ name })) : null,
  })
  const error = errorFromCode(response.errorCode, {
    api: 'DescribeUserScramCredentials',
    detail: response.errorMessage,
  })
  if (error) throw error
  const failures: AdminEntryFailure[] = []
  const described: UserScramCredentialsDescription[] = []
  for (const result of response.results) {
    const failed = errorFromCode(result.errorCode, {
      api: 'DescribeUserScramCredentials',
      entity: result.user,
      detail: result.errorMessage,
    })
    if (failed) failures.push({ entry: result.user, error: failed })
    else {
      described.push({
        user: result.user,
        credentialInfos: result.credentialInfos.flatMap(({ mechanism, iterations }) => {
          const name = mechanismOf(mechanism)
          return name ? [{ mechanism: name, iterations }] : []
        }),
      })
    }
  }
  return unlessFailures('describeUserScramCredentials', failures, described)
}

/** Java's default salt: a random 130-bit number in base 36, as UTF-8 bytes. */
function randomSalt(): Buffer {
  const bits = BigInt(`0x${randomBytes(17).toString('hex')}`) >> 6n
  return Buffer.from(bits.toString(36), 'utf8')
}

/**
 * Adds, replaces and removes SCRAM credentials (AlterUserScramCredentials,
 * through the controller). The password is salted and hashed here (PBKDF2,
 * as Java's admin does), so it never crosses the wire. Resolves with the users
 * altered; rejects with AdminPartialFailureError naming each user whose
 * alterations the broker refused (UnacceptableCredentialError for iterations
 * outside 4096-16384, ResourceNotFoundError for deleting a missing credential,
 * DuplicateResourceError for one user and mechanism twice in a call).
 */
export async function alterUserScramCredentials(
  router: AdminRouter,
  alterations: UserScramCredentialAlteration[],
): Promise<string[]> {
  if (!Array.isArray(alterations) || alterations.length === 0) {
    throw new InvalidMessageError(
      "alterUserScramCredentials takes a non-empty array, e.g. [{ type: 'upsert', user: 'bob', mechanism: 'SCRAM-SHA-256', password: 'secret' }]",
    )
  }
  const deletions: { name: string; mechanism: number }[] = []
  const upsertions: { name: string; mechanism: number; iterations: number; salt: Buffer; saltedPassword: Buffer }[] = []
  alterations.forEach((alteration, i) => {
    const at = `alterations[${i}]`
    if (typeof alteration?.user !== 'string' || alteration.user === '') {
      throw new InvalidMessageError(`${at}.user must be a non-empty user name`)
    }
    const mechanism = MECHANISMS[alteration.mechanism]
    if (!mechanism) throw new InvalidMessageError(`${at}.mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512`)
    if (alteration.type === 'delete') {
      deletions.push({ name: alteration.user, mechanism: mechanism.code })
      return
    }
    if (alteration.type !== 'upsert') throw new InvalidMessageError(`${at}.type must be 'upsert' or 'delete'`)
    if (typeof alteration.password !== 'string' || alteration.password === '') {
      throw new InvalidMessageError(`${at}.password must be a non-empty string`)
    }
    const iterations = alteration.iterations ?? DEFAULT_ITERATIONS
    if (!Number.isInteger(iterations) || iterations < 1) {
      throw new InvalidMessageError(`${at}.iterations must be a positive integer (Kafka accepts 4096 to 16384)`)
    }
    const salt = alteration.salt ?? randomSalt()
    if (!Buffer.isBuffer(salt) || salt.length === 0)
      throw new InvalidMessageError(`${at}.salt must be a non-empty Buffer`)
    const saltedPassword = pbkdf2Sync(
      Buffer.from(alteration.password, 'utf8'),
      salt,
      iterations,
      mechanism.bytes,
      mechanism.hash,
    )
    upsertions.push({ name: alteration.user, mechanism: mechanism.code, iterations, salt, saltedPassword })
  })
  const response = await router.toController('AlterUserScramCredentials', { deletions, upsertions })
  const failures: AdminEntryFailure[] = []
  const altered: string[] = []
  for (const result of response.results) {
    const error = errorFromCode(result.errorCode, {
      api: 'AlterUserScramCredentials',
      entity: result.user,
      detail: result.errorMessage,
    })
    if (error) failures.push({ entry: result.user, error })
    else altered.push(result.user)
  }
  return unlessFailures('alterUserScramCredentials', failures, altered)
}
