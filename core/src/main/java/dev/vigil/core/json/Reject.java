package dev.vigil.core.json;

/**
 * Internal signal that a record breaks its schema. Stackless, so rejecting a hostile stream costs
 * about as much as accepting a valid one; it never escapes {@link JsonCodec#decode}.
 */
final class Reject extends RuntimeException {
    Reject(String reason) {
        super(reason, null, false, false);
    }
}
