/**
 * SaslAuthenticate (key 36), versions 0-2. Feeds each token to the mechanism
 * chosen by SaslHandshake. On success the connection is authenticated and, when
 * the cluster sets a re-authentication interval, v1+ answers carry the session
 * lifetime; a refusal answers SASL_AUTHENTICATION_FAILED with Kafka's message,
 * and the connection is closed right after, as Kafka does.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { SaslRefused } from '../sasl/sasl-server.js'

const ILLEGAL_SASL_STATE = 34
const SASL_AUTHENTICATION_FAILED = 58
const EMPTY = Buffer.alloc(0)

export const saslAuthenticateHandler = defineHandler({
  api: 'SaslAuthenticate',
  minVersion: Apis.SaslAuthenticate.minVersion,
  maxVersion: Apis.SaslAuthenticate.maxVersion,
  handle(request, { session, broker }) {
    const server = session.server
    if (!server) {
      return {
        errorCode: ILLEGAL_SASL_STATE,
        errorMessage: 'SaslAuthenticate before SaslHandshake',
        authBytes: EMPTY,
        sessionLifetimeMs: 0n,
      }
    }
    try {
      const step = server.step(request.authBytes)
      let sessionLifetimeMs = 0n
      if (step.principal !== undefined) {
        session.server = undefined
        session.authenticated = true
        session.principal = step.principal
        const lifetime = broker.options.reauthenticationMs
        session.expiresAt = lifetime > 0 ? performance.now() + lifetime : Number.POSITIVE_INFINITY
        sessionLifetimeMs = BigInt(lifetime)
      }
      return { errorCode: 0, errorMessage: null, authBytes: step.response, sessionLifetimeMs }
    } catch (error) {
      if (!(error instanceof SaslRefused)) throw error
      session.server = undefined
      // Answer first, then close: the client must read why it was refused.
      session.closeAfterResponse = true
      return {
        errorCode: SASL_AUTHENTICATION_FAILED,
        errorMessage: error.message,
        authBytes: EMPTY,
        sessionLifetimeMs: 0n,
      }
    }
  },
})
