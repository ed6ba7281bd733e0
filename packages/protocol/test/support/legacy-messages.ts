import { compressionCodec } from '../../src/compression/registry.js'
import { crc32 } from '../../src/records/legacy-crc32.js'

/**
 * Writes magic 0/1 message set entries for tests: kafkit only reads this format,
 * so fixtures are built here from the documented layout.
 */
export interface LegacyMessage {
  offset: bigint
  magic: 0 | 1
  attributes?: number
  /** Magic 1 only. */
  timestamp?: number
  key: Buffer | null
  value: Buffer | null
}

function bytesField(value: Buffer | null): Buffer {
  const length = Buffer.alloc(4)
  length.writeInt32BE(value === null ? -1 : value.length)
  return value === null ? length : Buffer.concat([length, value])
}

export function legacyEntry(message: LegacyMessage): Buffer {
  const head = Buffer.alloc(message.magic === 1 ? 10 : 2)
  head.writeInt8(message.magic, 0)
  head.writeInt8(message.attributes ?? 0, 1)
  if (message.magic === 1) head.writeBigInt64BE(BigInt(message.timestamp ?? -1), 2)
  const body = Buffer.concat([head, bytesField(message.key), bytesField(message.value)])
  const prefix = Buffer.alloc(16)
  prefix.writeBigInt64BE(message.offset, 0)
  prefix.writeInt32BE(body.length + 4, 8)
  prefix.writeUInt32BE(crc32(body), 12)
  return Buffer.concat([prefix, body])
}

/** A compressed wrapper around `inner` (each written with `legacyEntry`). */
export async function legacyWrapper(options: {
  offset: bigint
  magic: 0 | 1
  compression: number
  timestamp?: number
  logAppendTime?: boolean
  inner: LegacyMessage[]
}): Promise<Buffer> {
  const set = Buffer.concat(options.inner.map(legacyEntry))
  const value = await compressionCodec(options.compression).compress(set)
  return legacyEntry({
    offset: options.offset,
    magic: options.magic,
    attributes: options.compression | (options.logAppendTime ? 0x08 : 0),
    timestamp: options.timestamp,
    key: null,
    value,
  })
}
