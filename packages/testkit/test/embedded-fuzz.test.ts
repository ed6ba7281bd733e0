import { connect, type Socket } from 'node:net'
import { KafkaClient } from '@kafkit/client'
import { type ApiDefinition, Apis, encodeRequestFrame } from '@kafkit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Mutator } from '../../protocol/test/support/mutations.js'
import { type EmbeddedKafka, startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'

/**
 * The embedded broker under fuzzed requests: at least 100,000 mutated frames of
 * every API it serves, in every version, sent over many connections. A bad
 * frame may close its own connection, nothing more: a client on another
 * connection keeps getting answers, and the process neither crashes nor logs
 * an unexpected failure.
 */
const FRAMES = Number(process.env.KAFKIT_FUZZ_BROKER_FRAMES ?? 100_000)
const FRAMES_PER_CONNECTION = 25
const SEED = Number(process.env.KAFKIT_FUZZ_SEED ?? 20261125)

let kafka: EmbeddedKafka
const unexpected: unknown[] = []

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ security: false })
})
afterAll(async () => {
  await kafka.stop()
})

/** A valid request frame of every API and version the broker serves, from each API's default body. */
function seedFrames(): Buffer[] {
  const frames: Buffer[] = []
  for (const handler of kafka.control.supportedApis()) {
    const api = Apis[handler.api] as unknown as ApiDefinition
    for (let version = handler.minVersion; version <= handler.maxVersion; version++) {
      frames.push(
        encodeRequestFrame(api, version, api.request.create(), { correlationId: frames.length, clientId: 'fuzz' }),
      )
    }
  }
  return frames
}

function sendAndClose(port: number, frames: Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.end(Buffer.concat(frames))
    })
    socket.on('data', () => {})
    socket.on('error', () => resolve())
    socket.on('close', () => resolve())
    // The broker may wait on a long poll in a mutated request; closing our side ends it.
    socket.setTimeout(2000, () => socket.destroy())
  })
}

describe('the embedded broker under fuzzed requests', () => {
  it(`closes only the offending connections across ${FRAMES} mutated frames and keeps serving`, async () => {
    const onError = (error: unknown) => unexpected.push(error)
    process.on('uncaughtException', onError)
    const seeds = seedFrames()
    expect(seeds.length).toBeGreaterThan(20)
    const mutator = new Mutator(SEED)
    const port = kafka.control.state.brokers[0]!.ports.PLAINTEXT!
    await using healthy = new KafkaClient({ brokers: kafka.bootstrapServers })
    await healthy.connect()
    let sent = 0
    let healthyAnswers = 0
    try {
      while (sent < FRAMES) {
        const batch: Buffer[] = []
        for (let i = 0; i < FRAMES_PER_CONNECTION; i++) batch.push(mutator.mutate(seeds[mutator.int(seeds.length)]!))
        const connections = Array.from({ length: 8 }, () => sendAndClose(port, batch))
        await Promise.all([...connections, healthy.cluster.refreshMetadata().then(() => healthyAnswers++)])
        sent += batch.length * connections.length
      }
    } finally {
      process.off('uncaughtException', onError)
    }
    expect(unexpected).toEqual([])
    expect(healthyAnswers).toBe(Math.ceil(FRAMES / (FRAMES_PER_CONNECTION * 8)))
    // The broker still answers new clients after all of it.
    await using late = new KafkaClient({ brokers: kafka.bootstrapServers })
    await late.connect()
    expect(late.cluster.metadata.brokers).toHaveLength(1)
  }, 600_000)
})
