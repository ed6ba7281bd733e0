/**
 * Builds populated messages for codec tests from the same spec model the
 * generator uses: every field present in a version gets a non-default value
 * (or null, in the "nulls" variant, where the field is nullable in that
 * version); fields absent from the version keep their defaults, as decoding
 * produces them.
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ApiPair } from '../../codegen/emit-api-table.js'
import { pairApis } from '../../codegen/generate.js'
import {
  buildMessageModel,
  type FieldModel,
  type FieldType,
  type MessageModel,
  type StructModel,
} from '../../codegen/model.js'
import { readSpecFolder } from '../../codegen/spec-files.js'
import { contains, isEmpty } from '../../codegen/versions.js'

export const SPEC_FOLDER = resolve(fileURLToPath(import.meta.url), '../../../../../../shared/kafka-message-specs')

export type SampleValue = unknown

export interface SampleOptions {
  /** Set every field that is nullable in the version to null. */
  nulls: boolean
  /** Add unknown tagged fields to every struct of a flexible version. */
  unknownTags: boolean
}

export function loadModels(folder = SPEC_FOLDER): { models: MessageModel[]; apis: ApiPair[] } {
  const models = readSpecFolder(folder).map(buildMessageModel)
  return { models, apis: pairApis(models) }
}

export function versionsOf(message: MessageModel): number[] {
  const out: number[] = []
  if (isEmpty(message.validVersions)) return out
  for (let v = message.validVersions.min; v <= message.validVersions.max; v++) out.push(v)
  return out
}

/** Deterministic, field-dependent values so that a swapped field shows up as a difference. */
class SampleBuilder {
  private counter = 0

  constructor(
    private readonly message: MessageModel,
    private readonly version: number,
    private readonly options: SampleOptions,
  ) {}

  private next(): number {
    this.counter += 1
    return this.counter
  }

  private flexible(): boolean {
    return contains(this.message.flexibleVersions, this.version)
  }

  struct(struct: StructModel): Record<string, SampleValue> {
    const out: Record<string, SampleValue> = {}
    for (const field of struct.fields) out[field.property] = this.field(field)
    if (this.options.unknownTags && this.flexible()) {
      // Tags far above any the specs use, so they stay unknown to every release.
      out._unknownTaggedFields = [
        { tag: 9000 + (this.next() % 7), data: Buffer.from([1, 2, 3]) },
        { tag: 10000 + (this.next() % 7), data: Buffer.alloc(0) },
      ]
    }
    return out
  }

  private field(field: FieldModel): SampleValue {
    if (!contains(field.versions, this.version)) return defaultValue(field, this.message)
    if (this.options.nulls && contains(field.nullableVersions, this.version)) return null
    return this.value(field.type, field)
  }

  private value(type: FieldType, field: FieldModel): SampleValue {
    if (type.kind === 'array') return [this.value(type.element, field), this.value(type.element, field)]
    if (type.kind === 'struct') return this.struct(type.struct)
    const n = this.next()
    switch (type.name) {
      case 'bool':
        return String(field.defaultValue ?? 'false').toLowerCase() !== 'true'
      case 'int8':
        return (n % 100) + 1
      case 'int16':
        return 1000 + n
      case 'uint16':
        return 65000 + (n % 500)
      case 'int32':
        return -100000 - n
      case 'uint32':
        return 4000000000 + n
      case 'int64':
        return -(2n ** 40n) - BigInt(n)
      case 'float64':
        return 0.5 + n
      case 'string':
        return `${field.property}-${n}-é`
      case 'bytes':
        return Buffer.from([n & 0xff, 1, 2, 3])
      case 'records':
        return Buffer.from([0, 0, 0, n & 0xff])
      case 'uuid': {
        const bytes = Buffer.alloc(16, n & 0xff)
        bytes[0] = 0x40
        return bytes.toString('base64url')
      }
    }
  }
}

/** The value decoding gives a field absent from the version. */
function defaultValue(field: FieldModel, message: MessageModel): SampleValue {
  if (field.defaultValue === 'null') return null
  const type = field.type
  if (type.kind === 'array') return []
  if (type.kind === 'struct') return defaultStruct(type.struct, message)
  switch (type.name) {
    case 'bool':
      return String(field.defaultValue ?? 'false').toLowerCase() === 'true'
    case 'int64':
      return BigInt(String(field.defaultValue ?? '0'))
    case 'string':
      return String(field.defaultValue ?? '')
    case 'bytes':
      return Buffer.alloc(0)
    case 'records':
      return null
    case 'uuid':
      return 'AAAAAAAAAAAAAAAAAAAAAA'
    default: {
      const raw = String(field.defaultValue ?? '0')
      return /^-?0x/i.test(raw) ? Number.parseInt(raw, 16) : Number(raw)
    }
  }
}

function defaultStruct(struct: StructModel, message: MessageModel): Record<string, SampleValue> {
  const out: Record<string, SampleValue> = {}
  for (const field of struct.fields) out[field.property] = defaultValue(field, message)
  return out
}

export function sampleMessage(
  message: MessageModel,
  version: number,
  options: SampleOptions,
): Record<string, SampleValue> {
  return new SampleBuilder(message, version, options).struct(message.root)
}
