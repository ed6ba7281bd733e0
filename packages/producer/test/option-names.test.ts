import { InvalidMessageError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { resolveProducerOptions } from '../src/options.js'

describe('producer option names', () => {
  it('names the kafkit option for names brought from Java or kafkajs', () => {
    expect(() => resolveProducerOptions({ batchSize: 1 } as never)).toThrow(
      'unknown producer option "batchSize": kafkit calls it batchBytes (Java batch.size)',
    )
    expect(() => resolveProducerOptions({ 'linger.ms': 1 } as never)).toThrow(/kafkit calls it lingerMs/)
    expect(() => resolveProducerOptions({ createPartitioner: () => 0 } as never)).toThrow(/partitioner \('default'/)
  })

  it('lists the options for a name it does not know at all', () => {
    expect(() => resolveProducerOptions({ lingerMS: 1 } as never)).toThrow(InvalidMessageError)
    expect(() => resolveProducerOptions({ lingerMS: 1 } as never)).toThrow(
      /unknown producer option "lingerMS"; the options are acks, .*lingerMs/,
    )
  })

  it('rejects options that are not an object', () => {
    expect(() => resolveProducerOptions(null as never)).toThrow('producer options must be an object; got null')
  })

  it('accepts every documented option', () => {
    const resolved = resolveProducerOptions({
      batchBytes: 1024,
      bufferMemoryBytes: 1 << 20,
      lingerMs: 0,
      transactionTimeoutMs: 1000,
    })
    expect(resolved).toMatchObject({ batchBytes: 1024, bufferMemoryBytes: 1 << 20, lingerMs: 0 })
  })
})
