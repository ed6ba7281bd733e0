import { describe, expect, it } from 'vitest'
import type { MessageCodec } from '../src/codec-support.js'
import * as generated from '../src/generated/index.js'
import { Reader } from '../src/primitives/reader.js'
import { Writer } from '../src/primitives/writer.js'
import { loadModels, type SampleOptions, sampleMessage, versionsOf } from './support/sample-messages.js'

const { models, apis } = loadModels()
const codecs = generated as unknown as Record<string, MessageCodec<unknown>>

function codecOf(name: string): MessageCodec<unknown> {
  const codec = codecs[`${name}Codec`]
  if (!codec) throw new Error(`no generated codec for ${name}`)
  return codec
}

function encode(codec: MessageCodec<unknown>, version: number, message: unknown): Buffer {
  const writer = new Writer(16)
  codec.encode(writer, version, message)
  return Buffer.from(writer.bytes())
}

const variants: [string, SampleOptions][] = [
  ['every field set', { nulls: false, unknownTags: false }],
  ['nullable fields null', { nulls: true, unknownTags: false }],
  ['unknown tagged fields', { nulls: false, unknownTags: true }],
]

describe('generated codecs', () => {
  it('cover every request API of the spec folder with its response', () => {
    const requestSpecs = models.filter((m) => m.kind === 'request')
    expect(apis.length).toBe(requestSpecs.length)
    expect(apis.length).toBe(93)
    for (const api of apis) {
      expect(generated.Apis[api.name as generated.ApiName].apiKey).toBe(api.request.apiKey)
    }
  })

  for (const message of models) {
    const versions = versionsOf(message)
    if (versions.length === 0) continue
    describe(message.name, () => {
      for (const [label, options] of variants) {
        it(`round-trips every version with ${label}`, () => {
          const codec = codecOf(message.name)
          for (const version of versions) {
            const sample = sampleMessage(message, version, options)
            const bytes = encode(codec, version, sample)
            const reader = new Reader(bytes)
            const decoded = codec.decode(reader, version)
            expect(reader.remaining, `${message.name} v${version}: bytes left after decode`).toBe(0)
            expect(decoded, `${message.name} v${version}`).toEqual(sample)
            expect(encode(codec, version, decoded).equals(bytes), `${message.name} v${version} re-encoding`).toBe(true)
          }
        })
      }
    })
  }
})
