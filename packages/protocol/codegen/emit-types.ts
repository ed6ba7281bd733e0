import type { CodeWriter } from './code-writer.js'
import { defaultExpression, fieldTsType, isDefaultCondition } from './field-types.js'
import type { FieldModel, MessageModel, StructModel } from './model.js'
import { isEmpty, type VersionRange } from './versions.js'

function describeRange(range: VersionRange): string {
  if (isEmpty(range)) return 'none'
  if (range.max === Number.POSITIVE_INFINITY) return `${range.min}+`
  return range.min === range.max ? `${range.min}` : `${range.min}-${range.max}`
}

function fieldDoc(field: FieldModel): string {
  const notes = [`versions ${describeRange(field.versions)}`]
  if (!isEmpty(field.nullableVersions)) notes.push(`nullable ${describeRange(field.nullableVersions)}`)
  if (field.tag !== undefined) notes.push(`tag ${field.tag} in ${describeRange(field.taggedVersions)}`)
  if (field.ignorable) notes.push('ignorable')
  return `${field.about.replace(/\*\//g, '*\\/')} (${notes.join(', ')})`
}

/** Emits the interface of a struct and its default/create functions. */
export function emitStructTypes(cw: CodeWriter, message: MessageModel, struct: StructModel): void {
  const { typeName } = struct
  if (struct === message.root)
    cw.line(`/** ${message.name}: ${message.kind} versions ${describeRange(message.validVersions)}. */`)
  cw.block(`export interface ${typeName} {`, () => {
    for (const field of struct.fields) {
      cw.line(`/** ${fieldDoc(field)} */`)
      cw.line(`${field.property}: ${fieldTsType(field)}`)
    }
    cw.line('/** Tagged fields this release of the codec does not know, kept for re-encoding. */')
    cw.line('_unknownTaggedFields?: UnknownTaggedField[]')
  })
  cw.line()
  cw.block(`export function default${typeName}(): ${typeName} {`, () => {
    const entries = struct.fields.map((field) => `${field.property}: ${defaultExpression(field)}`)
    cw.line(`return { ${entries.join(', ')} }`)
  })
  cw.line()
  cw.line(`/** A ${typeName} with every field at its default value, overridden by \`init\`. */`)
  cw.block(`export function create${typeName}(init: Partial<${typeName}> = {}): ${typeName} {`, () => {
    cw.line(`return { ...default${typeName}(), ...init }`)
  })
}

/** Emits `isDefault<Struct>`, needed where a struct is a field (tagged or version-dependent). */
export function emitIsDefault(cw: CodeWriter, struct: StructModel): void {
  const { typeName } = struct
  cw.block(`function isDefault${typeName}(m: ${typeName}): boolean {`, () => {
    const checks = struct.fields.map((field) => `(${isDefaultCondition(field, `m.${field.property}`)})`)
    checks.push('(m._unknownTaggedFields === undefined || m._unknownTaggedFields.length === 0)')
    cw.line(`return ${checks.join(' &&\n    ')}`)
  })
}

/** Structs used as (non-array) struct fields anywhere in the message: they need `isDefault`. */
export function structsUsedAsFields(message: MessageModel): Set<StructModel> {
  const used = new Set<StructModel>()
  for (const struct of message.structs) {
    for (const field of struct.fields) if (field.type.kind === 'struct') used.add(field.type.struct)
  }
  return used
}
