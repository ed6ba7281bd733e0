/**
 * SaslHandshake (key 17), versions 0-1. Picks the mechanism for the
 * SaslAuthenticate exchanges that follow (v1: Kafka-framed tokens). Offered
 * mechanisms: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, on SASL listeners only; a
 * second handshake on an authenticated connection starts a re-authentication
 * (KIP-368).
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { createSaslServer, SERVER_MECHANISMS } from '../sasl/sasl-server.js'

const UNSUPPORTED_SASL_MECHANISM = 33
const ILLEGAL_SASL_STATE = 34

export const saslHandshakeHandler = defineHandler({
  api: 'SaslHandshake',
  minVersion: Apis.SaslHandshake.minVersion,
  maxVersion: Apis.SaslHandshake.maxVersion,
  handle(request, { session, broker }) {
    const mechanisms = [...SERVER_MECHANISMS]
    if (!session.required) return { errorCode: ILLEGAL_SASL_STATE, mechanisms: [] }
    const server = createSaslServer(request.mechanism, broker.options.users)
    if (!server) return { errorCode: UNSUPPORTED_SASL_MECHANISM, mechanisms }
    session.server = server
    session.mechanism = request.mechanism
    return { errorCode: 0, mechanisms }
  },
})
