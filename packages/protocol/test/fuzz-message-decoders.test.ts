import { describe, expect, it } from 'vitest'
import type { MessageCodec } from '../src/codec-support.js'
import { ProtocolError } from '../src/errors.js'
import * as generated from '../src/generated/index.js'
import { Reader } from '../src/primitives/reader.js'
import { Writer } from '../src/primitives/writer.js'
import { Mutator } from './support/mutations.js'
import { loadModels, sampleMessage, versionsOf } from './support/sample-messages.js'

/**
 * Feeds every response and request decoder, in every version, mutated copies of
 * valid messages and pure noise. A decoder may succeed or throw a ProtocolError;
 * any other exception (a RangeError, a TypeError, an out-of-memory from a lying
 * length) fails the test. KAFKIT_FUZZ_SEED replays a run.
 */
const RESPONSE_INPUTS = Number(process.env.KAFKIT_FUZZ_RESPONSE_INPUTS ?? 1_000_000)
const REQUEST_INPUTS = Number(process.env.KAFKIT_FUZZ_REQUEST_INPUTS ?? 200_000)
const SEED = Number(process.env.KAFKIT_FUZZ_SEED ?? 20261125)

const { models } = loadModels()
const codecs = generated as unknown as Record<string, MessageCodec<unknown>>

interface Target {
  name: string
  version: number
  codec: MessageCodec<unknown>
  seeds: Buffer[]
}

function targets(kind: 'request' | 'response'): Target[] {
  const out: Target[] = []
  for (const message of models.filter((m) => m.kind === kind)) {
    const codec = codecs[`${message.name}Codec`]!
    for (const version of versionsOf(message)) {
      const seeds = [
        { nulls: false, unknownTags: false },
        { nulls: true, unknownTags: false },
      ].map((options) => {
        const w = new Writer()
        codec.encode(w, version, sampleMessage(message, version, options))
        return Buffer.from(w.bytes())
      })
      out.push({ name: message.name, version, codec, seeds })
    }
  }
  return out
}

function fuzz(kind: 'request' | 'response', inputs: number, seed: number) {
  const all = targets(kind)
  const mutator = new Mutator(seed)
  const unexpected: string[] = []
  let decoded = 0
  let rejected = 0
  for (let i = 0; i < inputs; i++) {
    const target = all[i % all.length]!
    const base = target.seeds[mutator.int(target.seeds.length)]!
    const input = mutator.int(20) === 0 ? mutator.noise(mutator.int(200)) : mutator.mutate(base)
    try {
      target.codec.decode(new Reader(input), target.version)
      decoded++
    } catch (error) {
      if (error instanceof ProtocolError) rejected++
      else if (unexpected.length < 10) {
        unexpected.push(`${target.name} v${target.version} input ${input.toString('hex')}: ${String(error)}`)
      }
    }
  }
  return { decoded, rejected, unexpected, targets: all.length }
}

describe('decoders under fuzzing', () => {
  it(`every response decoder throws only ProtocolError on ${RESPONSE_INPUTS} mutated inputs`, () => {
    const result = fuzz('response', RESPONSE_INPUTS, SEED)
    console.log(
      `fuzzed ${result.targets} response versions (seed ${SEED}): ${result.decoded} decoded, ${result.rejected} rejected`,
    )
    expect(result.unexpected).toEqual([])
    expect(result.decoded + result.rejected).toBe(RESPONSE_INPUTS)
    // Both outcomes must occur, or the mutations are not exercising the decoders.
    expect(result.rejected).toBeGreaterThan(RESPONSE_INPUTS / 10)
    expect(result.decoded).toBeGreaterThan(0)
  }, 600_000)

  it(`every request decoder throws only ProtocolError on ${REQUEST_INPUTS} mutated inputs`, () => {
    const result = fuzz('request', REQUEST_INPUTS, SEED + 1)
    expect(result.unexpected).toEqual([])
    expect(result.rejected).toBeGreaterThan(REQUEST_INPUTS / 10)
  }, 600_000)

  it('rejects a 2 GB length in a small frame without allocating it', () => {
    const lies = [
      Buffer.from([0x7f, 0xff, 0xff, 0xff]), // int32 array count / bytes length
      Buffer.from([0xff, 0xff, 0xff, 0xff, 0x07]), // compact length of 2^31
    ]
    for (const lie of lies) {
      const frame = Buffer.concat([Buffer.alloc(4), lie, Buffer.alloc(92)])
      for (const version of [0, 3, 12]) {
        expect(() => generated.MetadataResponseCodec.decode(new Reader(frame), version)).toThrow(ProtocolError)
      }
    }
  })
})
