package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.MemoryRecords;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * Turns a JsonConverter.write() tree into the decode reply. Three things are added to what
 * the converter gives:
 * <ul>
 * <li>The converter writes every records field as an EMPTY base64 string (a KIP-673
 * logging shortcut), so the real bytes are put back from the decoded object.</li>
 * <li>The converter drops unknown tagged fields; they are listed beside the JSON.</li>
 * <li>int64 values (the converter's LongNodes), binary values and non-finite doubles are
 * replaced by strings and their JSON Pointers listed, so a JavaScript reader can restore exact
 * bigints, bytes and NaN/Infinity.</li>
 * </ul>
 */
final class DecodedJson {
    private DecodedJson() {
    }

    static ObjectNode of(Message message, JsonNode converterJson) throws IllegalAccessException {
        ArrayNode unknownTagged = JsonNodeFactory.instance.arrayNode();
        walk(message, converterJson, "", unknownTagged);
        ArrayNode int64Paths = JsonNodeFactory.instance.arrayNode();
        ArrayNode bytesPaths = JsonNodeFactory.instance.arrayNode();
        ArrayNode nonFinitePaths = JsonNodeFactory.instance.arrayNode();
        JsonNode json = textualize(converterJson, "", new Paths(int64Paths, bytesPaths, nonFinitePaths));
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.set("json", json);
        reply.set("int64Paths", int64Paths);
        reply.set("bytesPaths", bytesPaths);
        reply.set("nonFiniteFloat64Paths", nonFinitePaths);
        reply.set("unknownTaggedFields", unknownTagged);
        return reply;
    }

    // Generated data classes keep each field in a Java field named exactly like its JSON key,
    // so the object and the converter's tree can be walked side by side.
    private static void walk(Object object, JsonNode node, String pointer, ArrayNode unknownTagged)
            throws IllegalAccessException {
        if (!(object instanceof Message message) || !(node instanceof ObjectNode json)) {
            return;
        }
        for (RawTaggedField raw : message.unknownTaggedFields()) {
            ObjectNode entry = unknownTagged.addObject();
            entry.put("path", pointer);
            entry.put("tag", raw.tag());
            entry.put("hex", Hex.encode(raw.data()));
        }
        for (Field field : object.getClass().getDeclaredFields()) {
            JsonNode child = json.get(field.getName());
            if (child == null || Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            Object value = field.get(object);
            String childPointer = pointer + "/" + escape(field.getName());
            if (value instanceof BaseRecords records) {
                json.set(field.getName(), new BinaryNode(recordsBytes(records)));
            } else if (value instanceof Message) {
                walk(value, child, childPointer, unknownTagged);
            } else if (value instanceof Collection<?> elements && child instanceof ArrayNode array) {
                int index = 0;
                for (Object element : elements) {
                    walk(element, array.get(index), childPointer + "/" + index, unknownTagged);
                    index++;
                }
            }
        }
    }

    private static byte[] recordsBytes(BaseRecords records) {
        if (records instanceof MemoryRecords memory) {
            return Hex.bytes(memory.buffer());
        }
        throw new IllegalStateException("cannot read bytes of " + records.getClass().getName());
    }

    private record Paths(ArrayNode int64, ArrayNode bytes, ArrayNode nonFinite) {
    }

    private static JsonNode textualize(JsonNode node, String pointer, Paths paths) {
        if (node.isLong()) {
            paths.int64().add(pointer);
            return new TextNode(Long.toString(node.longValue()));
        }
        if (node.isBinary()) {
            paths.bytes().add(pointer);
            return new TextNode(Base64.getEncoder().encodeToString(((BinaryNode) node).binaryValue()));
        }
        if (node.isDouble() && !Double.isFinite(node.doubleValue())) {
            // JSON has no NaN/Infinity; Double.toString gives "NaN", "Infinity", "-Infinity".
            paths.nonFinite().add(pointer);
            return new TextNode(Double.toString(node.doubleValue()));
        }
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                entry.setValue(textualize(entry.getValue(), pointer + "/" + escape(entry.getKey()), paths));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, textualize(array.get(i), pointer + "/" + i, paths));
            }
        }
        return node;
    }

    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
