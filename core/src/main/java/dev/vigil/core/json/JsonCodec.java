package dev.vigil.core.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.vigil.core.token.PanMasking;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Versioned JSON for one record type. {@link #decode} validates everything the checked-in JSON
 * Schema says (tests hold the two together) and reports a reason instead of throwing, so one bad
 * record never stops a stream. Decoding uses Jackson's streaming parser only: no tree, no
 * reflection, no general-purpose schema validator on the hot path.
 */
public abstract class JsonCodec<T> {

    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)
                    .maxNumberLength(40)
                    .maxStringLength(4096)
                    .build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final String recordName;
    private final int maxBytes;

    protected JsonCodec(String recordName, int maxBytes) {
        this.recordName = recordName;
        this.maxBytes = maxBytes;
    }

    /** Largest encoded record accepted, in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    public final Decoded<T> decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Decoded.rejected("empty " + recordName + " record");
        }
        if (bytes.length > maxBytes) {
            return Decoded.rejected(recordName + " record too large: " + bytes.length + " bytes > " + maxBytes);
        }
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Decoded.rejected("expected a JSON object for " + recordName);
            }
            T value = read(p);
            if (p.nextToken() != null) {
                return Decoded.rejected("trailing content after the " + recordName + " object");
            }
            return Decoded.ok(value);
        } catch (Reject r) {
            return Decoded.rejected(PanMasking.mask(recordName + ": " + r.getMessage()));
        } catch (JsonProcessingException e) {
            return Decoded.rejected("malformed JSON in " + recordName + ": " + PanMasking.mask(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            return Decoded.rejected("unreadable " + recordName + ": " + e.getClass().getSimpleName());
        }
    }

    public final byte[] encode(T value) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(FACTORY._getBufferRecycler(), 512);
             JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            write(value, g);
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a " + recordName + " cannot fail on a byte buffer", e);
        }
    }

    /** Reads the object whose START_OBJECT the parser is on, through its END_OBJECT. */
    protected abstract T read(JsonParser p) throws IOException;

    /** Writes the value as one JSON object. */
    protected abstract void write(T value, JsonGenerator g) throws IOException;
}
