/**
 * kafkajs ships gzip only; snappy, lz4 and zstd are plugged in by the user
 * through `CompressionCodecs`. To compare record-batch code rather than
 * compression libraries, the plug-ins registered here call kafkit's codecs,
 * i.e. the same native libraries (snappy, lz4-napi, @mongodb-js/zstd) with the
 * same framing (xerial snappy, LZ4 frame) kafkit uses. kafkajs keeps its own
 * built-in gzip (node:zlib, as kafkit's). The interop suite (test/interop)
 * registers the same plug-ins to produce snappy, lz4 and zstd with kafkajs.
 */
import { createRequire } from 'node:module'
import { type CompressionCodec, lz4Codec, snappyCodec, zstdCodec } from '../kafkit.js'

interface KafkajsEncoder {
  readonly buffer: Buffer
}

interface KafkajsCodec {
  compress(encoder: KafkajsEncoder): Promise<Buffer>
  decompress(buffer: Buffer): Promise<Buffer>
}

/** The part of the kafkajs module that holds its codec table. */
export interface KafkajsCompression {
  CompressionTypes: { Snappy: number; LZ4: number; ZSTD: number }
  CompressionCodecs: Record<number, () => KafkajsCodec>
}

function plugIn(codec: CompressionCodec): () => KafkajsCodec {
  const adapter: KafkajsCodec = {
    compress: (encoder) => codec.compress(encoder.buffer),
    decompress: (buffer) => codec.decompress(buffer),
  }
  return () => adapter
}

const registered = new WeakSet<object>()

/**
 * Registers snappy, lz4 and zstd in kafkajs's codec table: in `kafkajs` when
 * given (the module the caller imported), else in the one this package resolves.
 */
export function registerKafkajsCodecs(
  kafkajs: KafkajsCompression = createRequire(import.meta.url)('kafkajs') as KafkajsCompression,
): void {
  const { CompressionTypes, CompressionCodecs } = kafkajs
  if (registered.has(CompressionCodecs)) return
  registered.add(CompressionCodecs)
  CompressionCodecs[CompressionTypes.Snappy] = plugIn(snappyCodec)
  CompressionCodecs[CompressionTypes.LZ4] = plugIn(lz4Codec)
  CompressionCodecs[CompressionTypes.ZSTD] = plugIn(zstdCodec)
}
