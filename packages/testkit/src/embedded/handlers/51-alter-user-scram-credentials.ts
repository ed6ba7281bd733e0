/**
 * AlterUserScramCredentials (key 51), version 0. Upserts (salt, iterations and
 * the client-salted password, from which the broker derives the stored and
 * server keys) and deletes SCRAM credentials; the next SCRAM authentication
 * of that user uses them. One result per user, in order of first mention:
 * an empty name is UNACCEPTABLE_CREDENTIAL, an unknown mechanism
 * UNSUPPORTED_SASL_MECHANISM, iterations outside 4096-16384
 * UNACCEPTABLE_CREDENTIAL, a user named twice in one request (even for two
 * mechanisms, as Kafka 4.1.1 answers) DUPLICATE_RESOURCE,
 * deleting a missing credential RESOURCE_NOT_FOUND; a user with any failing
 * alteration has none applied. Needs ALTER on the cluster.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { scramCredentialFromSalted } from '../sasl/scram-credentials.js'
import { AclOperation } from '../security/acl-binding.js'
import { isAuthorizedOnCluster } from '../security/authorize.js'
import { SCRAM_MECHANISM_CODES } from '../security/scram-store.js'
import { securityOf } from '../security/security-state.js'
import { CLUSTER_DENIED } from './acl-request.js'

const UNSUPPORTED_SASL_MECHANISM = 33
const RESOURCE_NOT_FOUND = 91
const DUPLICATE_RESOURCE = 92
const UNACCEPTABLE_CREDENTIAL = 93
const MIN_ITERATIONS = 4096
const MAX_ITERATIONS = 16384

interface Failure {
  errorCode: number
  errorMessage: string
}

export const alterUserScramCredentialsHandler = defineHandler({
  api: 'AlterUserScramCredentials',
  minVersion: Apis.AlterUserScramCredentials.minVersion,
  maxVersion: Apis.AlterUserScramCredentials.maxVersion,
  handle(request, context) {
    const scram = securityOf(context.cluster).scram
    const allowed = isAuthorizedOnCluster(context, AclOperation.ALTER)
    const alterations = [
      ...request.deletions.map((deletion) => ({ ...deletion, upsertion: undefined })),
      ...request.upsertions.map((upsertion) => ({ name: upsertion.name, mechanism: upsertion.mechanism, upsertion })),
    ]
    const users = [...new Set(alterations.map(({ name }) => name))]
    const failures = new Map<string, Failure>()
    const fail = (name: string, errorCode: number, errorMessage: string) => {
      if (!failures.has(name)) failures.set(name, { errorCode, errorMessage })
    }
    for (const { name, mechanism, upsertion } of alterations) {
      const scramMechanism = SCRAM_MECHANISM_CODES[mechanism]
      if (!allowed) fail(name, CLUSTER_DENIED.errorCode, CLUSTER_DENIED.errorMessage ?? '')
      else if (name === '') fail(name, UNACCEPTABLE_CREDENTIAL, 'Username must not be empty')
      else if (!scramMechanism) fail(name, UNSUPPORTED_SASL_MECHANISM, 'Unknown SCRAM mechanism')
      else if (alterations.filter((other) => other.name === name).length > 1) {
        fail(name, DUPLICATE_RESOURCE, 'A user credential cannot be altered twice in the same request')
      } else if (upsertion && upsertion.iterations < MIN_ITERATIONS) {
        fail(name, UNACCEPTABLE_CREDENTIAL, `Too few iterations`)
      } else if (upsertion && upsertion.iterations > MAX_ITERATIONS) {
        fail(name, UNACCEPTABLE_CREDENTIAL, `Too many iterations`)
      } else if (!upsertion && !scram.get(name, scramMechanism)) {
        fail(name, RESOURCE_NOT_FOUND, 'Attempt to delete a user credential that does not exist')
      }
    }
    for (const { name, mechanism, upsertion } of alterations) {
      const scramMechanism = SCRAM_MECHANISM_CODES[mechanism]
      if (failures.has(name) || !scramMechanism) continue
      if (!upsertion) scram.delete(name, scramMechanism)
      else {
        scram.set(
          name,
          scramMechanism,
          scramCredentialFromSalted(scramMechanism, upsertion.salt, upsertion.iterations, upsertion.saltedPassword),
        )
      }
    }
    const results = users.map((user) => {
      const failure = failures.get(user)
      return { user, errorCode: failure?.errorCode ?? 0, errorMessage: failure?.errorMessage ?? null }
    })
    return { throttleTimeMs: 0, results }
  },
})
