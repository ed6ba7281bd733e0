import type { SaslMechanism } from './sasl-mechanism.js'

/** Username and password for PLAIN and SCRAM. */
export interface PasswordSaslOptions {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'
  username: string
  password: string
}

/** An OAuth bearer token and its optional SASL extensions (KIP-342). */
export interface OAuthBearerToken {
  value: string
  extensions?: Record<string, string>
}

export interface OAuthBearerSaslOptions {
  mechanism: 'oauthbearer'
  /** Called for every authentication (and re-authentication), so tokens can be refreshed. */
  oauthBearerProvider: () => Promise<OAuthBearerToken> | OAuthBearerToken
}

/** A mechanism of your own (GSSAPI, AWS_MSK_IAM, ...): see SaslMechanism. */
export interface CustomSaslOptions {
  mechanism: 'custom'
  custom: SaslMechanism
}

export type SaslOptions = PasswordSaslOptions | OAuthBearerSaslOptions | CustomSaslOptions
