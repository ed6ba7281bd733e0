import { describe, expect, it } from 'vitest'
import { bufferSerde, jsonSerde, SerializationError, stringSerde } from '../src/index.js'

const orderValue = { topic: 'orders', part: 'value' } as const

describe('serdes', () => {
  it('jsonSerde writes UTF-8 JSON and reads it back, null as a tombstone', () => {
    const serde = jsonSerde<{ id: number; name: string }>()
    const bytes = serde.serialize({ id: 7, name: 'café' }, orderValue)
    expect(bytes?.toString('utf8')).toBe('{"id":7,"name":"café"}')
    expect(serde.deserialize(bytes, orderValue)).toEqual({ id: 7, name: 'café' })
    expect(serde.serialize(null, orderValue)).toBeNull()
    expect(serde.deserialize(null, orderValue)).toBeNull()
  })

  it('jsonSerde applies a replacer and a reviver', () => {
    const serde = jsonSerde<{ at: Date }>({
      replacer: (_key, value) => value,
      reviver: (key, value) => (key === 'at' ? new Date(value as string) : value),
    })
    const at = new Date('2026-11-25T10:00:00.000Z')
    expect(serde.deserialize(serde.serialize({ at }, orderValue), orderValue)?.at.getTime()).toBe(at.getTime())
  })

  it('jsonSerde fails typed, naming topic and part, on values JSON cannot hold and bytes that are not JSON', () => {
    const serde = jsonSerde<unknown>()
    const cyclic: { self?: unknown } = {}
    cyclic.self = cyclic
    expect(() => serde.serialize(cyclic, orderValue)).toThrow(SerializationError)
    expect(() => serde.serialize(cyclic, orderValue)).toThrow(/value for topic "orders" cannot be written as JSON/)
    expect(() => serde.serialize(undefined, { topic: 't', part: 'key' })).toThrow(
      /key for topic "t" must be a JSON value/,
    )
    expect(() => serde.serialize(10n, orderValue)).toThrow(SerializationError)
    expect(() => serde.deserialize(Buffer.from('{"broken'), orderValue)).toThrow(/value at topic "orders" is not JSON/)
  })

  it('stringSerde and bufferSerde check their input type', () => {
    expect(stringSerde.serialize('é', orderValue)).toEqual(Buffer.from('é', 'utf8'))
    expect(stringSerde.deserialize(Buffer.from('é', 'utf8'), orderValue)).toBe('é')
    expect(() => stringSerde.serialize(42 as unknown as string, orderValue)).toThrow(
      /must be a string or null; got number/,
    )
    const bytes = Buffer.from([1, 2])
    expect(bufferSerde.serialize(bytes, orderValue)).toBe(bytes)
    expect(() => bufferSerde.serialize('x' as unknown as Buffer, orderValue)).toThrow(
      /must be a Buffer or null; got string/,
    )
  })
})
