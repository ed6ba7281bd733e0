/**
 * DescribeUserScramCredentials (key 50), version 0. Answers each user's SCRAM
 * mechanisms and iterations (never the credentials): every user with one when
 * `users` is null or empty, else the named users, RESOURCE_NOT_FOUND for one
 * without credentials and DUPLICATE_RESOURCE for one named twice, with Kafka's
 * messages. Needs DESCRIBE on the cluster.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { AclOperation } from '../security/acl-binding.js'
import { isAuthorizedOnCluster } from '../security/authorize.js'
import { scramMechanismCode } from '../security/scram-store.js'
import { securityOf } from '../security/security-state.js'
import { CLUSTER_DENIED } from './acl-request.js'

const RESOURCE_NOT_FOUND = 91
const DUPLICATE_RESOURCE = 92

export const describeUserScramCredentialsHandler = defineHandler({
  api: 'DescribeUserScramCredentials',
  minVersion: Apis.DescribeUserScramCredentials.minVersion,
  maxVersion: Apis.DescribeUserScramCredentials.maxVersion,
  handle(request, context) {
    if (!isAuthorizedOnCluster(context, AclOperation.DESCRIBE)) {
      return { throttleTimeMs: 0, ...CLUSTER_DENIED, results: [] }
    }
    const users = securityOf(context.cluster).scram.users()
    const describe = (user: (typeof users)[number]) => ({
      user: user.username,
      errorCode: 0,
      errorMessage: null,
      credentialInfos: user.credentials.map(({ mechanism, iterations }) => ({
        mechanism: scramMechanismCode(mechanism),
        iterations,
      })),
    })
    if (!request.users || request.users.length === 0) {
      return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, results: users.map(describe) }
    }
    const names = request.users.map(({ name }) => name)
    const results = [...new Set(names)].map((name) => {
      if (names.indexOf(name) !== names.lastIndexOf(name)) {
        return {
          user: name,
          errorCode: DUPLICATE_RESOURCE,
          errorMessage: `Cannot describe SCRAM credentials for the same user twice in a single request: ${name}`,
          credentialInfos: [],
        }
      }
      const user = users.find(({ username }) => username === name)
      if (user) return describe(user)
      return {
        user: name,
        errorCode: RESOURCE_NOT_FOUND,
        errorMessage: `Attempt to describe a user credential that does not exist: ${name}`,
        credentialInfos: [],
      }
    })
    return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, results }
  },
})
