/**
 * Converts a populated kafkit message (as built by the codec tests' sample
 * builder) into the Kafka message JSON that the Java client's JsonConverter
 * reads: only the fields of the chosen version, float64 marked as such, and
 * unknown tagged fields listed by JSON Pointer.
 */
import type { FieldModel, MessageModel, StructModel } from '../../packages/protocol/codegen/model.js'
import { contains } from '../../packages/protocol/codegen/versions.js'
import { float64, type KafkaJson, type KafkaJsonObject, type UnknownTaggedField } from '../reference/java-reference.js'

type Sample = Record<string, unknown>

export interface KafkaJsonSample {
  json: KafkaJsonObject
  unknownTaggedFields: UnknownTaggedField[]
}

export function toKafkaJson(message: MessageModel, version: number, sample: Sample): KafkaJsonSample {
  const unknownTaggedFields: UnknownTaggedField[] = []
  const struct = (model: StructModel, value: Sample, path: string): KafkaJsonObject => {
    const out: Record<string, KafkaJson> = {}
    for (const field of model.fields) {
      if (!contains(field.versions, version)) continue
      out[field.property] = fieldValue(field, value[field.property], `${path}/${field.property}`)
    }
    const unknown = value._unknownTaggedFields as { tag: number; data: Buffer }[] | undefined
    for (const { tag, data } of unknown ?? []) unknownTaggedFields.push({ path, tag, data })
    return out
  }
  const fieldValue = (field: FieldModel, value: unknown, path: string): KafkaJson => {
    if (value === null) return null
    const type = field.type
    if (type.kind === 'array') {
      const element = type.element
      return (value as unknown[]).map((item, i) =>
        element.kind === 'struct'
          ? struct(element.struct, item as Sample, `${path}/${i}`)
          : primitive(element.name, item),
      )
    }
    if (type.kind === 'struct') return struct(type.struct, value as Sample, path)
    return primitive(type.name, value)
  }
  return { json: struct(message.root, sample, ''), unknownTaggedFields }
}

function primitive(type: string, value: unknown): KafkaJson {
  if (type === 'float64') return float64(value as number)
  return value as KafkaJson
}
