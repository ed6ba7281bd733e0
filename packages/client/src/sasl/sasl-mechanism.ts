/**
 * One SASL mechanism, pluggable. The connection performs the SaslHandshake
 * naming `name`; `authenticate` then drives the exchange through `exchange.send`,
 * which wraps each token in a SaslAuthenticate request and resolves with the
 * broker's reply (or rejects with the broker's authentication error).
 */
export interface SaslMechanism {
  /** The mechanism name the broker knows, e.g. "SCRAM-SHA-512". */
  readonly name: string
  authenticate(exchange: SaslExchange): Promise<void>
}

export interface SaslExchange {
  /** Sends one token to the broker and resolves with its answer. */
  send(token: Buffer): Promise<Buffer>
  /** The broker being authenticated to, as "host:port". */
  readonly broker: string
}
