import { and, type CodeWriter, not } from './code-writer.js'
import { isDefaultCondition, isNullableType } from './field-types.js'
import type { FieldModel, FieldType } from './model.js'
import type { StructContext } from './struct-context.js'

/** Emits the `write<Struct>` function of one struct: positional fields, then the tagged section. */
export function emitEncodeStruct(cw: CodeWriter, ctx: StructContext): void {
  const { typeName } = ctx.struct
  cw.block(`function write${typeName}(w: Writer, v: number, m: ${typeName}): void {`, () => {
    if (ctx.flexible !== 'true' && ctx.flexible !== 'false') cw.line(`const flexible = ${ctx.flexible}`)
    for (const field of ctx.struct.fields) {
      const value = `m.${field.property}`
      const present = ctx.condition(ctx.regularVersions(field))
      cw.when(present, () => emitValueWrite(cw, ctx, field, value, 'w', ctx.compact(field)))
      // Java refuses to silently drop a field the chosen version cannot carry, unless the spec says it may be ignored.
      const absent = not(ctx.condition(field.versions))
      if (!field.ignorable && absent !== 'false') {
        cw.when(and(absent, `!(${isDefaultCondition(field, value)})`), () => {
          cw.line(`throw unsupportedField('${ctx.path(field)}', v)`)
        })
      }
    }
    cw.when(ctx.flexible, () => emitTaggedSection(cw, ctx))
  })
}

function emitTaggedSection(cw: CodeWriter, ctx: StructContext): void {
  const tagged = ctx.taggedFields()
  if (tagged.length === 0) {
    cw.line('writeOnlyUnknownTags(w, m._unknownTaggedFields)')
    return
  }
  cw.line('const unknown = m._unknownTaggedFields')
  const counted: string[] = ['(unknown?.length ?? 0)']
  for (const field of tagged) {
    const inVersion = ctx.condition(ctx.taggedVersions(field))
    cw.line(`const write${field.name} = ${and(inVersion, `!(${isDefaultCondition(field, `m.${field.property}`)})`)}`)
    counted.push(`(write${field.name} ? 1 : 0)`)
  }
  cw.line(`w.uvarint(${counted.join(' + ')})`)
  cw.line('let u = 0')
  for (const field of tagged) {
    cw.block(`if (write${field.name}) {`, () => {
      cw.line(`u = writeUnknownTagsBelow(w, unknown, u, ${field.tag})`)
      cw.block(
        `writeTaggedField(w, ${field.tag}, (t) => {`,
        () => {
          emitValueWrite(cw, ctx, field, `m.${field.property}`, 't', 'true')
        },
        '})',
      )
    })
  }
  cw.line('writeUnknownTagsBelow(w, unknown, u, Number.POSITIVE_INFINITY)')
}

/** Emits the statements writing `value` (a field of the struct) to writer `w` in the field's type. */
export function emitValueWrite(
  cw: CodeWriter,
  ctx: StructContext,
  field: FieldModel,
  value: string,
  w: string,
  compact: string,
): void {
  const nullable = ctx.nullable(field)
  if (isNullableType(field) && nullable !== 'true' && !isStruct(field.type)) {
    cw.line(
      `if (${value} === null${nullable === 'false' ? '' : ` && !(${nullable})`}) throw nullNotAllowed('${ctx.path(field)}', v)`,
    )
  }
  const type = field.type
  if (type.kind === 'array') {
    const element = type.element
    cw.block(`if (${value} === null) {`, () => cw.line(`writeArrayLength(${w}, ${compact}, -1)`), '} else {')
    cw.indented(() => {
      cw.line(`writeArrayLength(${w}, ${compact}, ${value}.length)`)
      cw.line(`for (const e of ${value}) ${elementWrite(element, 'e', w, compact)}`)
    })
    cw.line('}')
    return
  }
  if (type.kind === 'struct' && isNullableType(field)) {
    // A nullable struct is preceded by a presence byte: -1 for null, 1 for a value.
    cw.block(
      `if (${value} === null) {`,
      () => {
        cw.when(not(nullable), () => cw.line(`throw nullNotAllowed('${ctx.path(field)}', v)`))
        cw.when(nullable, () => cw.line(`${w}.int8(-1)`))
      },
      '} else {',
    )
    cw.indented(() => {
      cw.when(nullable, () => cw.line(`${w}.int8(1)`))
      cw.line(`write${type.struct.typeName}(${w}, v, ${value})`)
    })
    cw.line('}')
    return
  }
  cw.line(elementWrite(type, value, w, compact))
}

function isStruct(type: FieldType): boolean {
  return type.kind === 'struct'
}

function elementWrite(type: FieldType, value: string, w: string, compact: string): string {
  if (type.kind === 'struct') return `write${type.struct.typeName}(${w}, v, ${value})`
  if (type.kind === 'array') throw new Error('nested arrays do not occur in Kafka specs')
  switch (type.name) {
    case 'string':
      return compactChoice(compact, `${w}.compactString(${value})`, `${w}.string(${value})`)
    case 'bytes':
    case 'records':
      return compactChoice(compact, `${w}.compactBytes(${value})`, `${w}.bytesField(${value})`)
    default:
      return `${w}.${type.name}(${value})`
  }
}

function compactChoice(compact: string, whenCompact: string, otherwise: string): string {
  if (compact === 'true') return whenCompact
  if (compact === 'false') return otherwise
  return `${compact} ? ${whenCompact} : ${otherwise}`
}
