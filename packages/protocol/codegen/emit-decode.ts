import { type CodeWriter, choose } from './code-writer.js'
import { defaultExpression, fieldTsType, PRIMITIVE_MIN_BYTES } from './field-types.js'
import type { FieldModel, FieldType } from './model.js'
import type { StructContext } from './struct-context.js'

/**
 * Emits the `read<Struct>` function of one struct. Fields absent from the
 * version read get their defaults, as Java's generated `read` does.
 */
export function emitDecodeStruct(cw: CodeWriter, ctx: StructContext): void {
  const { typeName } = ctx.struct
  const tagged = ctx.taggedFields()
  const taggedSet = new Set(tagged)
  cw.block(`function read${typeName}(r: Reader, v: number): ${typeName} {`, () => {
    if (ctx.flexible !== 'true' && ctx.flexible !== 'false') cw.line(`const flexible = ${ctx.flexible}`)
    for (const field of ctx.struct.fields) {
      const present = ctx.condition(ctx.regularVersions(field))
      const read = valueRead(ctx, field, ctx.compact(field))
      const declaration = taggedSet.has(field) ? 'let' : 'const'
      cw.line(
        `${declaration} ${local(field)}: ${fieldTsType(field)} = ${choose(present, read, defaultExpression(field))}`,
      )
    }
    if (ctx.flexible === 'false') {
      cw.line(`return { ${fieldList(ctx)} }`)
      return
    }
    cw.line('let unknown: UnknownTaggedField[] | undefined')
    cw.when(ctx.flexible, () => {
      if (tagged.length === 0) {
        cw.line('unknown = readOnlyUnknownTags(r)')
        return
      }
      cw.line('const count = r.uvarint()')
      cw.block('for (let i = 0; i < count; i++) {', () => {
        cw.line('const tag = r.uvarint()')
        cw.line('const size = r.uvarint()')
        cw.line('r.need(size)')
        cw.line('const end = r.offset + size')
        cw.block('switch (tag) {', () => {
          for (const field of tagged) {
            cw.line(`case ${field.tag}:`)
            cw.indented(() => {
              cw.when(ctx.condition(ctx.taggedVersions(field)), () => {
                cw.line(`${local(field)} = ${valueRead(ctx, field, 'true')}`)
                cw.line(`checkTaggedEnd(r, end, '${ctx.path(field)}')`)
                cw.line('continue')
              })
              cw.line('break')
            })
          }
        })
        cw.line('unknown ??= []')
        cw.line('unknown.push({ tag, data: r.slice(size) })')
      })
    })
    cw.line(`const m: ${typeName} = { ${fieldList(ctx)} }`)
    cw.line('if (unknown !== undefined) m._unknownTaggedFields = unknown')
    cw.line('return m')
  })
}

function local(field: FieldModel): string {
  return `f${field.name}`
}

function fieldList(ctx: StructContext): string {
  return ctx.struct.fields.map((field) => `${field.property}: ${local(field)}`).join(', ')
}

/** An expression reading one value of the field's type from `r`. */
function valueRead(ctx: StructContext, field: FieldModel, compact: string): string {
  const type = field.type
  const path = `'${ctx.path(field)}'`
  const nullable = ctx.nullable(field)
  const nonNull = nullable === 'false' ? '!' : ''
  if (type.kind === 'array') {
    const element = type.element
    const minBytes = element.kind === 'struct' ? 1 : PRIMITIVE_MIN_BYTES[element.name]
    return `readArray(r, ${compact}, ${nullable}, ${minBytes}, ${path}, v, (r) => ${elementRead(element, compact)})${nonNull}`
  }
  if (type.kind === 'struct') {
    const read = `read${type.struct.typeName}(r, v)`
    // A nullable struct is preceded by a presence byte: negative means null.
    return nullable === 'false' ? read : `(${nullable} && r.int8() < 0 ? null : ${read})`
  }
  switch (type.name) {
    case 'string':
      return `readString(r, ${compact}, ${nullable}, ${path}, v)${nonNull}`
    case 'bytes':
      return `readBytes(r, ${compact}, ${nullable}, ${path}, v)${nonNull}`
    case 'records':
      return `readBytes(r, ${compact}, ${nullable}, ${path}, v)`
    default:
      return elementRead(type, compact)
  }
}

function elementRead(type: FieldType, compact: string): string {
  if (type.kind === 'struct') return `read${type.struct.typeName}(r, v)`
  if (type.kind === 'array') throw new Error('nested arrays do not occur in Kafka specs')
  switch (type.name) {
    case 'string':
      return `readString(r, ${compact}, false, 'element', v)!`
    case 'bytes':
    case 'records':
      return `readBytes(r, ${compact}, false, 'element', v)!`
    default:
      return `r.${type.name}()`
  }
}
