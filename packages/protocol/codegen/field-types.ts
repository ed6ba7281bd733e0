import type { FieldModel, FieldType, PrimitiveName } from './model.js'
import { isNullableAnywhere } from './model.js'

/** TypeScript types, default values and default checks for spec field types. */

const PRIMITIVE_TS: Record<PrimitiveName, string> = {
  bool: 'boolean',
  int8: 'number',
  int16: 'number',
  uint16: 'number',
  int32: 'number',
  uint32: 'number',
  int64: 'bigint',
  float64: 'number',
  string: 'string',
  bytes: 'Buffer',
  uuid: 'string',
  records: 'Buffer',
}

/** Bytes an element takes at least on the wire, to bound array counts before allocating. */
export const PRIMITIVE_MIN_BYTES: Record<PrimitiveName, number> = {
  bool: 1,
  int8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  float64: 8,
  string: 1,
  bytes: 1,
  uuid: 16,
  records: 1,
}

export function elementTsType(type: FieldType): string {
  if (type.kind === 'primitive') return PRIMITIVE_TS[type.name]
  if (type.kind === 'struct') return type.struct.typeName
  return `${elementTsType(type.element)}[]`
}

function hasNullDefault(field: FieldModel): boolean {
  return field.defaultValue === 'null'
}

export function isNullableType(field: FieldModel): boolean {
  return (
    isNullableAnywhere(field) ||
    hasNullDefault(field) ||
    (field.type.kind === 'primitive' && field.type.name === 'records')
  )
}

export function fieldTsType(field: FieldModel): string {
  const base = elementTsType(field.type)
  return isNullableType(field) ? `${base} | null` : base
}

function integerDefault(field: FieldModel): number {
  const raw = field.defaultValue
  if (raw === undefined) return 0
  if (typeof raw === 'number') return raw
  const text = String(raw).trim()
  const value = /^-?0x/i.test(text) ? Number.parseInt(text, 16) : Number(text)
  if (!Number.isFinite(value)) throw new Error(`field ${field.name}: invalid default ${raw}`)
  return value
}

/** A TypeScript expression for the field's default value (a fresh value for mutable types). */
export function defaultExpression(field: FieldModel): string {
  if (hasNullDefault(field)) return 'null'
  const type = field.type
  if (type.kind === 'array') return '[]'
  if (type.kind === 'struct') return `default${type.struct.typeName}()`
  switch (type.name) {
    case 'bool':
      return String(String(field.defaultValue ?? 'false').toLowerCase() === 'true')
    case 'int64':
      return `${BigInt(String(field.defaultValue ?? '0'))}n`
    case 'float64':
      return String(Number(field.defaultValue ?? 0))
    case 'string':
      return JSON.stringify(String(field.defaultValue ?? ''))
    case 'bytes':
      return 'EMPTY_BYTES'
    case 'records':
      return 'null'
    case 'uuid':
      return 'ZERO_UUID'
    default:
      return String(integerDefault(field))
  }
}

/** A TypeScript condition that is true when `value` equals the field's default (as Java's generated equals). */
export function isDefaultCondition(field: FieldModel, value: string): string {
  const type = field.type
  if (hasNullDefault(field)) return `${value} === null`
  if (type.kind === 'array') return `${value} !== null && ${value}.length === 0`
  if (type.kind === 'struct') return `${value} !== null && isDefault${type.struct.typeName}(${value})`
  switch (type.name) {
    case 'bytes':
      return `${value} !== null && ${value}.length === 0`
    case 'records':
      return `${value} === null`
    default:
      return `${value} === ${defaultExpression(field)}`
  }
}
