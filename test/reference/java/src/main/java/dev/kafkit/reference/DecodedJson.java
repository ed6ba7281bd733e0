package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.MemoryRecords;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * Turns a JsonConverter.write() tree into the decode reply. Two things are fixed up:
 * <ul>
 * <li>The converter writes every records field as an EMPTY base64 string (a KIP-673
 * logging shortcut), so the real bytes are put back from the decoded object.</li>
 * <li>int64 values (the converter's LongNodes) and binary values are replaced by strings and
 * their JSON Pointers listed, so a JavaScript reader can restore exact bigints and bytes.</li>
 * </ul>
 */
final class DecodedJson {
    private DecodedJson() {
    }

    static ObjectNode of(Message message, JsonNode converterJson) throws IllegalAccessException {
        restoreRecords(message, converterJson);
        ArrayNode int64Paths = JsonNodeFactory.instance.arrayNode();
        ArrayNode bytesPaths = JsonNodeFactory.instance.arrayNode();
        JsonNode json = textualize(converterJson, "", int64Paths, bytesPaths);
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.set("json", json);
        reply.set("int64Paths", int64Paths);
        reply.set("bytesPaths", bytesPaths);
        return reply;
    }

    // Generated data classes keep each field in a Java field named exactly like its JSON key,
    // so the object and the converter's tree can be walked side by side.
    private static void restoreRecords(Object object, JsonNode node) throws IllegalAccessException {
        if (!(object instanceof Message) || !(node instanceof ObjectNode json)) {
            return;
        }
        for (Field field : object.getClass().getDeclaredFields()) {
            JsonNode child = json.get(field.getName());
            if (child == null || Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            Object value = field.get(object);
            if (value instanceof BaseRecords records) {
                json.set(field.getName(), new BinaryNode(recordsBytes(records)));
            } else if (value instanceof Message) {
                restoreRecords(value, child);
            } else if (value instanceof Collection<?> elements && child instanceof ArrayNode array) {
                int index = 0;
                for (Object element : elements) {
                    restoreRecords(element, array.get(index++));
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

    private static JsonNode textualize(JsonNode node, String pointer, ArrayNode int64Paths, ArrayNode bytesPaths) {
        if (node.isLong()) {
            int64Paths.add(pointer);
            return new TextNode(Long.toString(node.longValue()));
        }
        if (node.isBinary()) {
            bytesPaths.add(pointer);
            return new TextNode(Base64.getEncoder().encodeToString(((BinaryNode) node).binaryValue()));
        }
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                entry.setValue(textualize(entry.getValue(), pointer + "/" + escape(entry.getKey()), int64Paths, bytesPaths));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, textualize(array.get(i), pointer + "/" + i, int64Paths, bytesPaths));
            }
        }
        return node;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
