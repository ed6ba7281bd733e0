import type { SecureContextOptions } from 'node:tls'
import { InvalidMessageError } from '@kafkit/protocol'
import type { Logger } from './logger.js'
import type { SaslOptions } from './sasl/sasl-options.js'

/**
 * TLS for broker connections. Certificate verification is on unless
 * `rejectUnauthorized` is false; `servername` defaults to the broker's host.
 */
export interface TlsOptions extends Pick<SecureContextOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase'> {
  servername?: string
  /** Verify the broker's certificate chain and host name (default true). */
  rejectUnauthorized?: boolean
}

/** Options shared by every connection of a client; the defaults are the Java client's. */
export interface NetworkOptions {
  clientId: string
  /** true: TLS with the system's CAs; an object: TLS with these settings. */
  ssl?: boolean | TlsOptions
  sasl?: SaslOptions
  /** Time to open a TCP (and TLS) connection (Java's socket.connection.setup.timeout.ms). Default 10 000. */
  connectTimeoutMs: number
  /** Time a request may wait for its response before it fails and the connection closes. Default 30 000. */
  requestTimeoutMs: number
  /** Requests sent on a connection before waiting for responses. Default 5. */
  maxInFlightRequests: number
  /** Close a connection idle for this long. Default 540 000 (9 minutes). */
  connectionsMaxIdleMs: number
  /** Largest response frame accepted; a larger size prefix is a protocol error. Default 256 MiB. */
  maxResponseBytes: number
  logger: Logger
}

export const NETWORK_DEFAULTS = {
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxInFlightRequests: 5,
  connectionsMaxIdleMs: 540_000,
  maxResponseBytes: 256 * 1024 * 1024,
} as const

/** Fails at the call, saying what to change, when a numeric option is not a positive integer. */
export function checkPositiveInteger(name: string, value: number, allowZero = false): void {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new InvalidMessageError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}`)
  }
}
