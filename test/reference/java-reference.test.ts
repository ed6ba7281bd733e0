// Proves the Java reference harness itself: that it reaches Kafka's Java client and that
// its formats are what README.md says, using expectations worked out independently.
import { describe, expect, it } from 'vitest'
import {
  float64,
  isJavaFailure,
  javaDecode,
  javaEncode,
  javaMurmur2,
  javaReadBatches,
  javaReferenceAvailability,
  javaWriteBatch,
  javaWriteControl,
  orThrow,
  runJavaReference,
} from './java-reference.js'

const availability = await javaReferenceAvailability()
if (!availability.available) {
  // KAFKIT_REQUIRE_JAVA_REFERENCE=1 turns a silent skip into a failure (for CI machines that have Java).
  if (process.env.KAFKIT_REQUIRE_JAVA_REFERENCE === '1') throw new Error(availability.reason)
  console.warn(`[test/reference] ${availability.reason}`)
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'))
const hex = (text: string) => new Uint8Array(Buffer.from(text.replaceAll(' ', ''), 'hex'))

// Murmur2 as the Java producer's Utils.murmur2 defines it, written out independently here.
function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995
  let h = (0x9747b28c ^ data.length) | 0
  const whole = data.length & ~3
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)
    k = Math.imul(k, m)
    k ^= k >>> 24
    k = Math.imul(k, m)
    h = Math.imul(h, m) ^ k
  }
  const rest = data.length & 3
  if (rest === 3) h ^= data[whole + 2]! << 16
  if (rest >= 2) h ^= data[whole + 1]! << 8
  if (rest >= 1) h = Math.imul(h ^ data[whole]!, m)
  h ^= h >>> 13
  h = Math.imul(h, m)
  h ^= h >>> 15
  return h | 0
}

describe.skipIf(!availability.available)('Java reference harness', () => {
  describe('murmur2', () => {
    it("matches the vectors published in Kafka's UtilsTest", async () => {
      const vectors: [string, number][] = [
        ['21', -973932308],
        ['foobar', -790332482],
        ['a-little-bit-long-string', -985981536],
        ['a-little-bit-longer-string', -1486304829],
        ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
        ['abc', 479470107],
        ['', 275646681],
      ]
      const results = orThrow(await javaMurmur2(vectors.map(([key]) => ({ key: utf8(key) }))))
      expect(results.map((r) => r.murmur2)).toEqual(vectors.map(([, hash]) => hash))
    })

    it('answers tens of thousands of lines from one JVM, in order, matching an independent murmur2', async () => {
      let seed = 42
      const random = () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
        return seed >>> 16
      }
      const keys = Array.from({ length: 30_000 }, () =>
        Uint8Array.from({ length: random() % 40 }, () => random() & 0xff),
      )
      const results = orThrow(await javaMurmur2(keys.map((key) => ({ key, partitions: 12 }))))
      expect(results).toHaveLength(keys.length)
      results.forEach((result, i) => {
        const expected = murmur2(keys[i]!)
        expect(result).toEqual({ murmur2: expected, partition: (expected & 0x7fffffff) % 12 })
      })
    })
  })

  describe('encode / decode', () => {
    // ApiVersionsRequest v3 is flexible: two COMPACT_STRINGs (unsigned varint length + 1, then
    // UTF-8) and an empty tagged-field section (one varint 0).
    const apiVersionsV3 = hex('07 6b61666b6974 06 302e312e30 00')

    it('encodes a hand-written ApiVersionsRequest v3 to the bytes the protocol defines', async () => {
      const [result] = orThrow(
        await javaEncode([
          {
            message: 'ApiVersionsRequest',
            version: 3,
            json: { clientSoftwareName: 'kafkit', clientSoftwareVersion: '0.1.0' },
          },
        ]),
      )
      expect(result!.bytes).toEqual(apiVersionsV3)
    })

    it('decodes those bytes back and reports bytes left over', async () => {
      const trailing = new Uint8Array([...apiVersionsV3, 0xff])
      const [exact, extra] = orThrow(
        await javaDecode([
          { message: 'ApiVersionsRequest', version: 3, bytes: apiVersionsV3 },
          { message: 'ApiVersionsRequest', version: 3, bytes: trailing },
        ]),
      )
      expect(exact).toEqual({
        json: { clientSoftwareName: 'kafkit', clientSoftwareVersion: '0.1.0' },
        unknownTaggedFields: [],
        consumedAll: true,
        remainingBytes: 0,
      })
      expect(extra).toMatchObject({ consumedAll: false, remainingBytes: 1 })
    })

    it('carries int64 beyond 2^53 as bigint, uuids as Kafka base64, and tagged structs both ways', async () => {
      const json = {
        replicaState: { replicaId: 1, replicaEpoch: 9223372036854775807n },
        maxWaitMs: 500,
        minBytes: 1,
        maxBytes: 52428800,
        isolationLevel: 1,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
            partitions: [
              {
                partition: 0,
                currentLeaderEpoch: 7,
                fetchOffset: 9007199254740993n,
                lastFetchedEpoch: -1,
                logStartOffset: -1n,
                partitionMaxBytes: 1048576,
              },
            ],
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      }
      const [encoded] = orThrow(await javaEncode([{ message: 'FetchRequest', version: 15, json }]))
      const bytes = Buffer.from(encoded!.bytes)
      expect(bytes.includes(Buffer.from('001fffffffffffff01', 'hex'))).toBe(false) // 2^53+1 not rounded to 2^53
      expect(bytes.includes(Buffer.from('0020000000000001', 'hex'))).toBe(true)
      // The body ends in its tagged-field section: 1 field, tag 1 (ReplicaState), 13 bytes of
      // replicaId int32, replicaEpoch int64 and the struct's own empty tagged-field section.
      expect(bytes.subarray(-16).toString('hex')).toBe('01010d000000017fffffffffffffff00')

      const [decoded] = orThrow(await javaDecode([{ message: 'FetchRequest', version: 15, bytes: encoded!.bytes }]))
      expect(decoded!.json).toEqual(json)
    })

    it('omits tagged fields at their default when decoding', async () => {
      const json = { clusterId: null, replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 0, isolationLevel: 0 }
      const [encoded] = orThrow(
        await javaEncode([
          {
            message: 'FetchRequest',
            version: 12,
            json: { ...json, sessionId: 0, sessionEpoch: -1, topics: [], forgottenTopicsData: [], rackId: '' },
          },
        ]),
      )
      const [decoded] = orThrow(await javaDecode([{ message: 'FetchRequest', version: 12, bytes: encoded!.bytes }]))
      expect(decoded!.json).not.toHaveProperty('clusterId')
      expect(decoded!.json).toMatchObject({ replicaId: -1, sessionEpoch: -1 })
    })

    it('writes and reads unknown tagged fields beside the JSON, by JSON Pointer', async () => {
      const json = { clientSoftwareName: 'kafkit', clientSoftwareVersion: '0.1.0' }
      const unknownTaggedFields = [{ path: '', tag: 7, data: hex('abcd') }]
      const [encoded] = orThrow(
        await javaEncode([{ message: 'ApiVersionsRequest', version: 3, json, unknownTaggedFields }]),
      )
      // Tagged-field section: 1 field, tag 7, 2 bytes of data.
      expect(encoded!.bytes).toEqual(hex('07 6b61666b6974 06 302e312e30 01 07 02 abcd'))
      const [decoded] = orThrow(
        await javaDecode([{ message: 'ApiVersionsRequest', version: 3, bytes: encoded!.bytes }]),
      )
      expect(decoded).toMatchObject({ json, unknownTaggedFields })
    })

    it('needs float64 written with a fraction, and reads it back as a number', async () => {
      const message = (value: unknown) => ({
        message: 'DescribeClientQuotasResponse',
        version: 1,
        json: {
          throttleTimeMs: 0,
          errorCode: 0,
          errorMessage: null,
          entries: [
            {
              entity: [{ entityType: 'user', entityName: null }],
              values: [{ key: 'producer_byte_rate', value }],
            },
          ],
        } as never,
      })
      const [plain, wrapped, fraction, nan] = await javaEncode([
        message(1024),
        message(float64(1024)),
        message(0.5),
        message(float64(Number.NaN)),
      ])
      expect(plain).toMatchObject({ error: expect.stringContaining('expected a floating point type') })
      expect(isJavaFailure(wrapped!)).toBe(false)
      expect(isJavaFailure(fraction!)).toBe(false)
      // 1024.0 as an IEEE 754 double, big-endian.
      expect(
        Buffer.from((wrapped as { bytes: Uint8Array }).bytes).includes(Buffer.from('4090000000000000', 'hex')),
      ).toBe(true)

      const [decoded] = orThrow(
        await javaDecode([
          { message: 'DescribeClientQuotasResponse', version: 1, bytes: (wrapped as { bytes: Uint8Array }).bytes },
        ]),
      )
      expect(decoded!.json).toMatchObject({ entries: [{ values: [{ key: 'producer_byte_rate', value: 1024 }] }] })
      const [decodedNaN] = orThrow(
        await javaDecode([
          { message: 'DescribeClientQuotasResponse', version: 1, bytes: (nan as { bytes: Uint8Array }).bytes },
        ]),
      )
      expect(decodedNaN!.json).toMatchObject({ entries: [{ values: [{ value: Number.NaN }] }] })
    })

    it('takes a nullable struct as null or as an object', async () => {
      const base = {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        memberId: 'm',
        memberEpoch: 3,
        heartbeatIntervalMs: 5000,
      }
      const assignment = { topicPartitions: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAg', partitions: [0, 2] }] }
      const encoded = orThrow(
        await javaEncode([
          { message: 'ConsumerGroupHeartbeatResponse', version: 0, json: { ...base, assignment: null } },
          { message: 'ConsumerGroupHeartbeatResponse', version: 0, json: { ...base, assignment } },
        ]),
      )
      // The nullable struct is one signed int8 presence marker: -1 for null, 1 before the fields.
      expect(Buffer.from(encoded[0]!.bytes).subarray(-2).toString('hex')).toBe('ff00')
      const decoded = orThrow(
        await javaDecode(
          encoded.map(({ bytes }) => ({ message: 'ConsumerGroupHeartbeatResponse', version: 0, bytes })),
        ),
      )
      expect(decoded.map((d) => d.json)).toEqual([
        { ...base, assignment: null },
        { ...base, assignment },
      ])
    })

    it('carries bytes and records as Uint8Array both ways', async () => {
      const [batch] = orThrow(await javaWriteBatch([{ records: [{ timestamp: 1n, key: null, value: utf8('v') }] }]))
      const produce = {
        transactionalId: null,
        acks: -1,
        timeoutMs: 30000,
        topicData: [{ name: 't', partitionData: [{ index: 0, records: batch!.bytes }] }],
      }
      const auth = { authBytes: hex('00757365720070617373') }
      const encoded = orThrow(
        await javaEncode([
          { message: 'ProduceRequest', version: 9, json: produce },
          { message: 'SaslAuthenticateRequest', version: 2, json: auth },
        ]),
      )
      const decoded = orThrow(
        await javaDecode([
          { message: 'ProduceRequest', version: 9, bytes: encoded[0]!.bytes },
          { message: 'SaslAuthenticateRequest', version: 2, bytes: encoded[1]!.bytes },
        ]),
      )
      expect(decoded.map((d) => d.json)).toEqual([produce, auth])
    })

    it('rejects int64 given as a JSON string, as the converter does', async () => {
      const json = { transactionalId: 't', producerEpoch: 0, groupId: 'g' }
      const [asString, asNumber] = await runJavaReference('encode', [
        { message: 'AddOffsetsToTxnRequest', version: 3, json: { ...json, producerId: '5' } },
        { message: 'AddOffsetsToTxnRequest', version: 3, json: { ...json, producerId: 5 } },
      ])
      expect(asString).toEqual({
        id: 0,
        error: expect.stringContaining('expected an integer or string type, but got STRING'),
      })
      expect(asNumber).toHaveProperty('hex')
    })

    it('answers a bad line with an error and carries on with the next', async () => {
      const replies = await runJavaReference('encode', [
        { message: 'NoSuchRequest', version: 0, json: {} },
        { message: 'ApiVersionsRequest', version: 3, json: { clientSoftwareName: 'kafkit' } },
        { message: 'ApiVersionsRequest', version: 99, json: {} },
        { message: 'FetchRequest', version: 4, json: { fetchOffset: '5' } },
        { message: 'ApiVersionsRequest', version: 0, json: {} },
      ])
      expect(replies).toEqual([
        { id: 0, error: expect.stringContaining('no message NoSuchRequest') },
        { id: 1, error: expect.stringContaining("unable to locate field 'clientSoftwareVersion'") },
        { id: 2, error: expect.stringContaining('outside the versions') },
        { id: 3, error: expect.stringContaining('unable to locate field') },
        { id: 4, hex: '' },
      ])
    })
  })

  describe('record batches', () => {
    const records = [
      {
        timestamp: 1700000000000n,
        key: utf8('k'),
        value: null,
        headers: [
          { key: 'h', value: hex('00ff') },
          { key: 'empty', value: null },
        ],
      },
      { timestamp: 1700000000001n, key: null, value: utf8('value') },
    ]

    it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)(
      'writes and reads back a %s v2 batch',
      async (compression) => {
        const [written] = orThrow(
          await javaWriteBatch([
            {
              compression,
              baseOffset: 9007199254740993n,
              producerId: 4242n,
              producerEpoch: 3,
              baseSequence: 17,
              transactional: true,
              partitionLeaderEpoch: 5,
              records,
            },
          ]),
        )
        const [read] = orThrow(await javaReadBatches([written!.bytes]))
        expect(read!.trailingBytes).toBe(0)
        expect(read!.batches).toHaveLength(1)
        expect(read!.batches[0]).toMatchObject({
          magic: 2,
          baseOffset: 9007199254740993n,
          lastOffset: 9007199254740994n,
          compression,
          timestampType: 'create',
          isTransactional: true,
          isControl: false,
          producerId: 4242n,
          producerEpoch: 3,
          baseSequence: 17,
          lastSequence: 18,
          partitionLeaderEpoch: 5,
          maxTimestamp: 1700000000001n,
          sizeInBytes: written!.bytes.length,
        })
        expect(read!.batches[0]!.records).toEqual([
          { offset: 9007199254740993n, ...records[0] },
          { offset: 9007199254740994n, ...records[1], headers: [] },
        ])
      },
    )

    it.each([
      [0, 'none'],
      [0, 'gzip'],
      [1, 'snappy'],
      [1, 'lz4'],
    ] as const)('writes and reads back a magic %i %s message set', async (magic, compression) => {
      const plain = [
        { timestamp: 5n, key: utf8('a'), value: utf8('1') },
        { timestamp: 6n, key: null, value: null },
      ]
      const [written] = orThrow(await javaWriteBatch([{ magic, compression, baseOffset: 10n, records: plain }]))
      const [read] = orThrow(await javaReadBatches([written!.bytes]))
      const all = read!.batches.flatMap((batch) => batch.records)
      expect(read!.batches.every((batch) => batch.magic === magic && batch.compression === compression)).toBe(true)
      expect(all.map((r) => [r.offset, r.timestamp, r.key, r.value])).toEqual([
        [10n, magic === 0 ? -1n : 5n, utf8('a'), utf8('1')],
        [11n, magic === 0 ? -1n : 6n, null, null],
      ])
    })

    it('writes an end-transaction control batch', async () => {
      const [written] = orThrow(
        await javaWriteControl([
          { type: 'commit', coordinatorEpoch: 9, baseOffset: 20n, timestamp: 99n, producerId: 7n, producerEpoch: 2 },
        ]),
      )
      const [read] = orThrow(await javaReadBatches([written!.bytes]))
      expect(read!.batches[0]).toMatchObject({
        isControl: true,
        isTransactional: true,
        producerId: 7n,
        baseOffset: 20n,
      })
      expect(read!.batches[0]!.records).toEqual([
        expect.objectContaining({ offset: 20n, control: { type: 'COMMIT', coordinatorEpoch: 9 } }),
      ])
    })

    it('reads several batches and a partial trailing batch, and names a corrupt one', async () => {
      const [a, b] = orThrow(
        await javaWriteBatch([
          { baseOffset: 0n, records: [{ key: null, value: utf8('a') }] },
          { baseOffset: 1n, records: [{ key: null, value: utf8('b') }] },
        ]),
      )
      const fetched = new Uint8Array([...a!.bytes, ...b!.bytes, ...b!.bytes.subarray(0, 20)])
      const corrupt = new Uint8Array([...a!.bytes, ...b!.bytes])
      corrupt[corrupt.length - 1]! ^= 0x01
      const [whole, bad] = await javaReadBatches([fetched, corrupt])
      expect(whole).toMatchObject({ validBytes: a!.bytes.length + b!.bytes.length, trailingBytes: 20 })
      expect(isJavaFailure(whole!) ? [] : whole!.batches.map((batch) => batch.baseOffset)).toEqual([0n, 1n])
      expect(bad).toEqual({ error: expect.stringMatching(/batch 1 .*failed validation.*corrupt.*crc/i) })
    })
  })
})
