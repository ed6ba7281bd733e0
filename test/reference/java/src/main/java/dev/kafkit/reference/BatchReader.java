package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

import java.nio.ByteBuffer;

/**
 * read-batches: what a Java consumer sees in a fetched partition's records bytes, after the
 * same validation (ensureValid: size, magic, CRC) that the fetcher applies with check.crcs=true.
 * int64 values are decimal strings so JavaScript loses no precision.
 */
final class BatchReader {
    private BatchReader() {
    }

    static ObjectNode readBatches(JsonNode request) {
        byte[] bytes = Hex.decode(Fields.text(request, "hex"));
        MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.wrap(bytes));
        ArrayNode batches = JsonNodeFactory.instance.arrayNode();
        int index = 0;
        int validBytes = 0;
        for (RecordBatch batch : records.batches()) {
            try {
                batch.ensureValid();
                batches.add(describe(batch));
            } catch (RuntimeException e) {
                // Name the batch so a failing cross-check points straight at the bad bytes.
                throw new IllegalArgumentException("batch " + index + " (byte position " + validBytes
                    + ", magic " + batch.magic() + ") failed validation: " + Main.describe(e), e);
            }
            validBytes += batch.sizeInBytes();
            index++;
        }
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.set("batches", batches);
        // A fetch may end in a partial batch, which the Java iterator silently stops before.
        reply.put("validBytes", validBytes);
        reply.put("trailingBytes", bytes.length - validBytes);
        return reply;
    }

    private static ObjectNode describe(RecordBatch batch) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("magic", batch.magic());
        json.put("baseOffset", Long.toString(batch.baseOffset()));
        json.put("lastOffset", Long.toString(batch.lastOffset()));
        json.put("compression", batch.compressionType().name);
        json.put("timestampType", BatchWriter.timestampTypeName(batch.timestampType()));
        json.put("isTransactional", batch.isTransactional());
        json.put("isControl", batch.isControlBatch());
        json.put("producerId", Long.toString(batch.producerId()));
        json.put("producerEpoch", batch.producerEpoch());
        json.put("baseSequence", batch.baseSequence());
        json.put("lastSequence", batch.lastSequence());
        json.put("partitionLeaderEpoch", batch.partitionLeaderEpoch());
        json.put("maxTimestamp", Long.toString(batch.maxTimestamp()));
        json.put("crc", batch.checksum());
        json.put("sizeInBytes", batch.sizeInBytes());
        ArrayNode records = json.putArray("records");
        int index = 0;
        for (Record record : batch) {
            try {
                record.ensureValid();
                records.add(describe(batch, record));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("record " + index + ": " + Main.describe(e), e);
            }
            index++;
        }
        return json;
    }

    private static ObjectNode describe(RecordBatch batch, Record record) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("offset", Long.toString(record.offset()));
        json.put("timestamp", Long.toString(record.timestamp()));
        json.put("key", Hex.encode(record.key()));
        json.put("value", Hex.encode(record.value()));
        ArrayNode headers = json.putArray("headers");
        for (Header header : record.headers()) {
            ObjectNode h = headers.addObject();
            h.put("key", header.key());
            h.put("value", header.value() == null ? null : Hex.encode(header.value()));
        }
        if (batch.isControlBatch()) {
            json.set("control", control(record));
        }
        return json;
    }

    private static ObjectNode control(Record record) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ControlRecordType type = ControlRecordType.parse(record.key());
        json.put("type", type.name());
        if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
            json.put("coordinatorEpoch", EndTransactionMarker.deserialize(record).coordinatorEpoch());
        }
        return json;
    }
}
