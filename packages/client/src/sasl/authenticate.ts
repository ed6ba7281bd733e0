import { type ApiDefinition, Apis, errorFromCode } from '@kafkit/protocol'
import type { BrokerApiVersions } from '../api-versions.js'
import type { Exchange } from '../negotiate.js'
import { createSaslMechanism } from './create-mechanism.js'
import type { SaslOptions } from './sasl-options.js'

export interface SaslSession {
  mechanism: string
  /** Session lifetime granted by the broker (SaslAuthenticate v1+), 0 when it sets none. */
  lifetimeMs: number
  reauthenticationTimer?: NodeJS.Timeout
}

/**
 * SaslHandshake naming the mechanism, then the mechanism's exchange with each
 * token wrapped in SaslAuthenticate. A refusal fails with an AuthenticationError
 * subclass (UnsupportedSaslMechanismError, SaslAuthenticationFailedError), which
 * is not retriable: bad credentials never turn into a reconnect loop.
 */
export async function authenticateSasl(
  options: SaslOptions,
  versions: BrokerApiVersions,
  broker: string,
  exchange: Exchange,
): Promise<SaslSession> {
  const mechanism = createSaslMechanism(options)
  const handshakeApi = Apis.SaslHandshake as unknown as ApiDefinition
  const handshake = Apis.SaslHandshake.response.create(
    (await exchange(handshakeApi, versions.versionFor(handshakeApi), { mechanism: mechanism.name })) as object,
  )
  const handshakeError = errorFromCode(handshake.errorCode, {
    api: 'SaslHandshake',
    broker,
    detail: `mechanism ${mechanism.name} is not enabled; the broker offers ${handshake.mechanisms.join(', ') || 'none'}`,
  })
  if (handshakeError) throw handshakeError

  const authenticateApi = Apis.SaslAuthenticate as unknown as ApiDefinition
  const version = versions.versionFor(authenticateApi)
  let lifetimeMs = 0
  await mechanism.authenticate({
    broker,
    send: async (token) => {
      const response = Apis.SaslAuthenticate.response.create(
        (await exchange(authenticateApi, version, { authBytes: token })) as object,
      )
      const error = errorFromCode(response.errorCode, {
        api: 'SaslAuthenticate',
        broker,
        detail: response.errorMessage ?? undefined,
      })
      if (error) throw error
      lifetimeMs = Number(response.sessionLifetimeMs)
      return response.authBytes
    },
  })
  return { mechanism: mechanism.name, lifetimeMs }
}
