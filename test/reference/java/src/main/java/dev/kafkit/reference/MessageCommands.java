package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Readable;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * encode/decode through the Java client's generated classes: JSON is read and written only
 * by {@code <Name>DataJsonConverter}, bytes only by {@code <Name>Data} itself, so the reply is
 * exactly what the Java client would put on (or take off) the wire.
 */
final class MessageCommands {
    private static final String PACKAGE = "org.apache.kafka.common.message.";
    private static final Map<String, MessageClasses> CLASSES = new ConcurrentHashMap<>();

    private MessageCommands() {
    }

    /** {"message","version","json"[,"unknownTaggedFields"]} -> {"hex"}: the body only, no header. */
    static ObjectNode encode(JsonNode request) throws Exception {
        MessageClasses classes = classesFor(Fields.text(request, "message"));
        short version = classes.checkVersion(Fields.int16(request, "version", (short) -1));
        Message message = classes.fromJson(Fields.required(request, "json"), version);
        UnknownTaggedFields.add(message, request.get("unknownTaggedFields"));

        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = message.size(cache, version);
        ByteBufferAccessor accessor = new ByteBufferAccessor(ByteBuffer.allocate(size));
        message.write(accessor, cache, version);
        ByteBuffer buffer = accessor.buffer();
        if (buffer.position() != size) {
            throw new IllegalStateException("size() said " + size + " bytes but write() wrote " + buffer.position());
        }
        buffer.flip();

        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put("hex", Hex.encode(buffer));
        return reply;
    }

    /** {"message","version","hex"} -> {"json","int64Paths","bytesPaths","unknownTaggedFields","consumedAll","remainingBytes"}. */
    static ObjectNode decode(JsonNode request) throws Exception {
        MessageClasses classes = classesFor(Fields.text(request, "message"));
        short version = classes.checkVersion(Fields.int16(request, "version", (short) -1));
        ByteBuffer buffer = ByteBuffer.wrap(Hex.decode(Fields.text(request, "hex")));
        Message message = classes.fromBytes(new ByteBufferAccessor(buffer), version);

        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.setAll(DecodedJson.of(message, classes.toJson(message, version)));
        reply.put("consumedAll", !buffer.hasRemaining());
        reply.put("remainingBytes", buffer.remaining());
        return reply;
    }

    private static MessageClasses classesFor(String name) {
        return CLASSES.computeIfAbsent(name, MessageClasses::load);
    }

    /** The reflective handles of one message; looked up once per process. */
    private record MessageClasses(String name, Constructor<?> readConstructor, Method fromJson, Method toJson,
                                  short lowest, short highest) {
        static MessageClasses load(String name) {
            // API messages are generated as <Name>Data; "type": "data" specs such as
            // ConsumerProtocolAssignment keep their bare name.
            String className = name.endsWith("Data") ? name : name + "Data";
            try {
                return load(name, Class.forName(PACKAGE + className));
            } catch (ClassNotFoundException e) {
                try {
                    return load(name, Class.forName(PACKAGE + name));
                } catch (ClassNotFoundException bare) {
                    throw new IllegalArgumentException("kafka-clients has no message " + name
                        + " (looked for " + PACKAGE + className + " and " + PACKAGE + name + ")");
                }
            }
        }

        private static MessageClasses load(String name, Class<?> data) throws ClassNotFoundException {
            if (!Message.class.isAssignableFrom(data)) {
                throw new IllegalArgumentException(data.getName() + " is not a generated message class");
            }
            try {
                Class<?> converter = Class.forName(data.getName() + "JsonConverter");
                Message sample = (Message) data.getConstructor().newInstance();
                return new MessageClasses(name,
                    data.getConstructor(Readable.class, short.class),
                    converter.getMethod("read", JsonNode.class, short.class),
                    converter.getMethod("write", data, short.class),
                    sample.lowestSupportedVersion(),
                    sample.highestSupportedVersion());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("unexpected shape of generated class " + data.getName(), e);
            }
        }

        // The generated write() does not reject every out-of-range version by itself.
        short checkVersion(short version) {
            if (version < lowest || version > highest) {
                throw new IllegalArgumentException(name + " version " + version
                    + " is outside the versions kafka-clients supports (" + lowest + "-" + highest + ")");
            }
            return version;
        }

        Message fromJson(JsonNode json, short version) throws ReflectiveOperationException {
            return (Message) fromJson.invoke(null, json, version);
        }

        Message fromBytes(Readable readable, short version) throws ReflectiveOperationException {
            return (Message) readConstructor.newInstance(readable, version);
        }

        JsonNode toJson(Message message, short version) throws ReflectiveOperationException {
            return (JsonNode) toJson.invoke(null, message, version);
        }
    }
}
