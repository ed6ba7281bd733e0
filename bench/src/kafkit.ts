/**
 * Everything the benchmarks use from @kafkit/protocol, in one place. The
 * package's public entry point is used where it exports a name; the rest is
 * imported from its sources (the benchmarks run on the TypeScript sources
 * through the `@kafkit/source` condition, as the tests do).
 */
export {
  decodeRequestBody,
  decodeRequestFrameHeader,
  encodeRequestFrame,
  ProduceApi,
  type ProduceRequest,
  ZERO_UUID,
} from '@kafkit/protocol'
export {
  type CompressionCodec,
  lz4Codec,
  snappyCodec,
  zstdCodec,
} from '../../packages/protocol/src/compression/index.js'
/** Internal to the package (the fallback when the native CRC does not load), measured for comparison. */
export { crc32cJs } from '../../packages/protocol/src/crc32c/crc32c-js.js'
export { crc32c, crc32cImplementation } from '../../packages/protocol/src/crc32c/index.js'
export {
  decodeRecordBatch,
  encodeRecordBatch,
  encodeRecordBatchSync,
  type RecordInput,
} from '../../packages/protocol/src/records/index.js'
