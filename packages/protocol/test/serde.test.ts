import { describe, expect, it } from 'vitest'
import { bufferSerde, jsonSerde, SerializationError, stringSerde } from '../src/index.js'

const valueOf = { topic: 'orders', part: 'value' } as const

describe('serdes', () => {
  it('jsonSerde writes UTF-8 JSON and reads it back, null as a tombstone', () => {
    const serde = jsonSerde<{ id: number; name: string }>()
    const bytes = serde.serialize({ id: 7, name: 'café' }, valueOf)
    expect(bytes?.toString('utf8')).toBe('{"id":7,"name":"café"}')
    expect(serde.deserialize(bytes, valueOf)).toEqual({ id: 7, name: 'café' })
    expect(serde.serialize(null, valueOf)).toBeNull()
    expect(serde.deserialize(null, valueOf)).toBeNull()
  })

  it('jsonSerde applies a replacer and a reviver', () => {
    const serde = jsonSerde<{ at: Date }>({
      replacer: (_key, value) => value,
      reviver: (key, value) => (key === 'at' ? new Date(value as string) : value),
    })
    const at = new Date('2026-11-25T10:00:00.000Z')
    expect(serde.deserialize(serde.serialize({ at }, valueOf), valueOf)?.at.getTime()).toBe(at.getTime())
  })

  it('jsonSerde fails typed, naming topic and part, on values JSON cannot hold and bytes that are not JSON', () => {
    const serde = jsonSerde<unknown>()
    const cyclic: { self?: unknown } = {}
    cyclic.self = cyclic
    expect(() => serde.serialize(cyclic, valueOf)).toThrow(SerializationError)
    expect(() => serde.serialize(cyclic, valueOf)).toThrow(/value for topic "orders" cannot be written as JSON/)
    expect(() => serde.serialize(undefined, { topic: 't', part: 'key' })).toThrow(
      /key for topic "t" must be a JSON value/,
    )
    expect(() => serde.serialize(10n, valueOf)).toThrow(SerializationError)
    expect(() => serde.deserialize(Buffer.from('{"broken'), valueOf)).toThrow(/value at topic "orders" is not JSON/)
  })

  it('stringSerde and bufferSerde check their input type', () => {
    expect(stringSerde.serialize('é', valueOf)).toEqual(Buffer.from('é', 'utf8'))
    expect(stringSerde.deserialize(Buffer.from('é', 'utf8'), valueOf)).toBe('é')
    expect(() => stringSerde.serialize(42 as unknown as string, valueOf)).toThrow(
      /must be a string or null; got number/,
    )
    const bytes = Buffer.from([1, 2])
    expect(bufferSerde.serialize(bytes, valueOf)).toBe(bytes)
    expect(() => bufferSerde.serialize('x' as unknown as Buffer, valueOf)).toThrow(
      /must be a Buffer or null; got string/,
    )
  })
})
