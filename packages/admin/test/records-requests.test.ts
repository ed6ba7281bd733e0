import { UnsupportedVersionError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import type { AdminPartialFailureError } from '../src/admin-error.js'
import { deleteRecords } from '../src/records/delete-records.js'
import { listOffsets } from '../src/records/list-offsets.js'
import { scriptedRouter, unusedRouter } from './support/scripted-router.js'

describe('listOffsets and deleteRecords', () => {
  it('check specs, offsets and partitions at the call', async () => {
    const router = unusedRouter()
    await expect(
      listOffsets(router, { partitions: [{ topic: 't', partition: 0, spec: { timestamp: -5 } }] }),
    ).rejects.toThrow(/timestamp: <ms since the epoch, >= 0>/)
    await expect(
      listOffsets(router, {
        partitions: [
          { topic: 't', partition: 0, spec: 'latest' },
          { topic: 't', partition: 0, spec: 'earliest' },
        ],
      }),
    ).rejects.toThrow(/t-0 twice/)
    await expect(
      deleteRecords(router, { partitions: [{ topic: 't', partition: 0, offset: '5' as never }] }),
    ).rejects.toThrow(/bigint offset >= -1/)
  })

  it('refuses the max-timestamp spec to a broker before ListOffsets v7', async () => {
    const cluster = {
      metadata: {
        controllerId: 1,
        brokers: [],
        forget: () => {},
        partition: () => ({ leader: 3 }),
        topic: () => ({ errorCode: 0, partitions: [{}] }),
      },
      refreshMetadata: async () => {},
      request: async (_broker: number, _api: string, body: (version: number) => unknown) => body(6),
    }
    const { router } = scriptedRouter(() => undefined)
    Object.assign(router.client, { cluster })
    const error = (await listOffsets(router, {
      partitions: [{ topic: 't', partition: 0, spec: 'max-timestamp' }],
    }).catch((e: unknown) => e)) as AdminPartialFailureError
    expect(error.failures[0]!.entry).toBe('t-0')
    expect(error.failures[0]!.error).toBeInstanceOf(UnsupportedVersionError)
    expect(error.failures[0]!.error.message).toContain('ListOffsets v7')
  })
})
