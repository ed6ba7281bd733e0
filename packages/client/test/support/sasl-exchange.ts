import type { SaslExchange } from '../../src/sasl/sasl-mechanism.js'

export const TEST_BROKER = 'broker-1:9092'

/** A SaslExchange whose broker answers each token with the next reply, recording what the client sent. */
export function scriptedExchange(...replies: ((token: Buffer) => Buffer | Promise<Buffer>)[]): {
  exchange: SaslExchange
  sent: Buffer[]
} {
  const sent: Buffer[] = []
  const exchange: SaslExchange = {
    broker: TEST_BROKER,
    async send(token) {
      sent.push(Buffer.from(token))
      const reply = replies[sent.length - 1]
      if (!reply)
        throw new Error(`the client sent an unexpected token #${sent.length}: ${JSON.stringify(token.toString())}`)
      return reply(token)
    },
  }
  return { exchange, sent }
}

/** A reply that ignores the token. */
export function answer(text: string): () => Buffer {
  return () => Buffer.from(text, 'utf8')
}
