package dev.vigil.core.json;

/**
 * The character classes the schemas allow in strings. Each mirrors one regular expression in the
 * checked-in JSON Schemas; {@code SchemaConformanceTest} holds them together.
 */
enum CharClass {
    /** {@code [A-Za-z0-9._:-]}: authorization, alert and label ids. */
    ID,
    /** {@code [A-Za-z0-9_-]}: card tokens (base64url). */
    TOKEN,
    /** {@code [A-Za-z0-9._-]}: key ids, model versions. */
    NAME,
    /** {@code [0-9]}. */
    DIGIT,
    /** {@code [A-Z]}. */
    UPPER,
    /** {@code [A-Z0-9_]}: reason codes of the host, alert kinds. */
    CODE,
    /** {@code [A-Za-z0-9_:.+-]}: decision reason codes. */
    REASON,
    /** {@code [A-Za-z0-9._@-]}: analyst user names. */
    USER,
    /** {@code [ -~]}: printable ASCII, for merchant ids that are names. */
    PRINTABLE;

    boolean allows(char c) {
        boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        return switch (this) {
            case ID -> alnum || c == '.' || c == '_' || c == ':' || c == '-';
            case TOKEN -> alnum || c == '_' || c == '-';
            case NAME -> alnum || c == '.' || c == '_' || c == '-';
            case DIGIT -> c >= '0' && c <= '9';
            case UPPER -> c >= 'A' && c <= 'Z';
            case CODE -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            case REASON -> alnum || c == '_' || c == ':' || c == '.' || c == '+' || c == '-';
            case USER -> alnum || c == '.' || c == '_' || c == '@' || c == '-';
            case PRINTABLE -> c >= ' ' && c <= '~';
        };
    }

    boolean allowsAll(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!allows(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
