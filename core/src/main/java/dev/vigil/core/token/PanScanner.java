package dev.vigil.core.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Looks for card numbers in bytes (topic records, files, table rows, HTTP bodies). Two questions:
 * <ol>
 *   <li>Is any PAN that went in present in clear? The PANs are known only as salted SHA-256 hashes
 *       (see {@link #hash}), so the list the scanner holds is not itself a list of card numbers.
 *       Every 13..19-digit window of every digit run is checked, so a PAN glued to other digits is
 *       found too.</li>
 *   <li>Which other digit runs look like card numbers? A run of 13..19 digits is reported when it
 *       passes both an issuer range check (brand prefix and a length that brand issues) and Luhn,
 *       unless it is the fraction of a decimal number.
 *       Luhn alone passes one random run in ten, so it says nothing; both together still let through
 *       about one random 16-digit run in forty (a quarter of prefixes belong to a brand), so these are
 *       listed for a human, not counted as leaks.</li>
 * </ol>
 * Findings carry the BIN and last four only: a report about leaks must not be one.
 */
public final class PanScanner {
    public static final int MIN_LENGTH = 13;
    public static final int MAX_LENGTH = 19;

    /** One digit run worth reporting: where, masked, and whether it is one of the PANs that went in. */
    public record Finding(String where, String masked, String brand, boolean inputPan) {
    }

    private final byte[] salt;
    private final Set<String> inputHashes;
    private final Set<String> inputBins;
    private final MessageDigest sha256;
    private long bytesScanned;
    private long runsChecked;

    /**
     * @param salt        the salt {@link #hash} used for {@code inputHashes}
     * @param inputHashes salted hashes of the PANs that went in
     * @param inputBins   their first six digits (not secret: records keep BINs in clear, decision 0003), a cheap
     *                    filter before hashing a window
     */
    public PanScanner(byte[] salt, Set<String> inputHashes, Set<String> inputBins) {
        this.salt = salt.clone();
        this.inputHashes = Set.copyOf(inputHashes);
        this.inputBins = Set.copyOf(inputBins);
        this.sha256 = newDigest();
    }

    /** The salted hash under which a PAN that went in is known to the scanner. */
    public static String hash(byte[] salt, CharSequence pan) {
        MessageDigest d = newDigest();
        d.update(salt);
        d.update(pan.toString().getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(d.digest());
    }

    public long bytesScanned() {
        return bytesScanned;
    }

    public long runsChecked() {
        return runsChecked;
    }

    /** Scans {@code bytes} (any encoding that keeps ASCII digits as bytes), reporting findings to {@code out}. */
    public void scan(String where, byte[] bytes, Consumer<Finding> out) {
        if (bytes == null) {
            return;
        }
        bytesScanned += bytes.length;
        int start = -1;
        for (int i = 0; i <= bytes.length; i++) {
            boolean digit = i < bytes.length && bytes[i] >= '0' && bytes[i] <= '9';
            if (digit && start < 0) {
                start = i;
            } else if (!digit && start >= 0) {
                if (i - start >= MIN_LENGTH) {
                    run(where, bytes, start, i, out);
                }
                start = -1;
            }
        }
    }

    public void scan(String where, String text, Consumer<Finding> out) {
        if (text != null) {
            scan(where, text.getBytes(StandardCharsets.UTF_8), out);
        }
    }

    private void run(String where, byte[] b, int from, int to, Consumer<Finding> out) {
        runsChecked++;
        String digits = new String(b, from, to - from, StandardCharsets.US_ASCII);
        boolean input = false;
        if (!inputHashes.isEmpty()) {
            for (int len = MIN_LENGTH; len <= MAX_LENGTH && !input; len++) {
                for (int s = 0; s + len <= digits.length(); s++) {
                    if (inputBins.contains(digits.substring(s, s + 6)) && isInput(digits.substring(s, s + len))) {
                        out.accept(new Finding(where, mask(digits.substring(s, s + len)), brand(digits.substring(s, s + len)), true));
                        input = true;
                        break;
                    }
                }
            }
        }
        // The fraction of a decimal number (a coordinate's "40.71234567891234") is no card number:
        // it is still searched for input PANs above, but never listed as card-like.
        boolean fraction = from >= 2 && b[from - 1] == '.' && b[from - 2] >= '0' && b[from - 2] <= '9';
        if (!input && !fraction && digits.length() <= MAX_LENGTH) {
            String brand = brand(digits);
            if (brand != null && Luhn.valid(digits)) {
                out.accept(new Finding(where, mask(digits), brand, false));
            }
        }
    }

    private boolean isInput(String window) {
        sha256.reset();
        sha256.update(salt);
        sha256.update(window.getBytes(StandardCharsets.US_ASCII));
        return inputHashes.contains(HexFormat.of().formatHex(sha256.digest()));
    }

    /** BIN and last four; the middle digits never leave the scanner. */
    static String mask(String pan) {
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }

    /**
     * True when the whole value is a card number: 13..19 digits, with single spaces, dashes or dots
     * between them allowed, in a brand's issuer range and passing Luhn. Codecs refuse such a value
     * where a token or id belongs: it means an upstream system put a PAN where none may go. Only the
     * whole value counts, so a hexadecimal or base64 id with a long digit run inside stays valid.
     */
    public static boolean isCardNumber(CharSequence value) {
        int n = value.length();
        if (n < MIN_LENGTH || n > 2 * MAX_LENGTH) {
            return false;
        }
        StringBuilder digits = new StringBuilder(MAX_LENGTH);
        boolean separatorBefore = true; // no separator may lead
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits.length() == MAX_LENGTH) {
                    return false;
                }
                digits.append(c);
                separatorBefore = false;
            } else if ((c == ' ' || c == '-' || c == '.') && !separatorBefore) {
                separatorBefore = true;
            } else {
                return false;
            }
        }
        return !separatorBefore && digits.length() >= MIN_LENGTH && brand(digits.toString()) != null
                && Luhn.valid(digits);
    }

    /**
     * True when the text holds a card number anywhere: a run of digits, with up to two spaces, dashes
     * or dots between them as people type PANs, of which some 13..19 consecutive digits fit a brand's
     * issuer range and pass Luhn. For text a person typed (case notes), where a PAN must not be kept.
     */
    public static boolean containsCardNumber(CharSequence text) {
        return cardRuns(text, false, (from, to) -> { }) > 0;
    }

    /**
     * Like {@link #containsCardNumber}, but any 13..19 consecutive digits that pass Luhn count, in an
     * issuer range or not (Maestro's, Mir's and RuPay's included). For what a person types and the
     * service keeps for ever (case notes): one random run in ten is refused, and the person retypes
     * it; a card number kept is worse.
     */
    public static boolean containsCardLikeNumber(CharSequence text) {
        return cardRuns(text, true, (from, to) -> { }) > 0;
    }

    /**
     * The text with the digits of every run that holds a card number (as {@link #containsCardNumber}
     * finds them) replaced by {@code *}; other digits stay. For ids and paths kept for people to read
     * (audit rows, error messages): a hexadecimal id's 12-digit stretch is no card number and stays
     * readable, unlike under {@link PanMasking}, which masks every long run.
     */
    public static String maskCardNumbers(String text) {
        return mask(text, false);
    }

    /** Masks as {@link #maskCardNumbers}, every run holding a card-like number ({@link #containsCardLikeNumber}). */
    public static String maskCardLikeNumbers(String text) {
        return mask(text, true);
    }

    private static String mask(String text, boolean anyIssuer) {
        if (text == null) {
            return null;
        }
        char[] out = text.toCharArray();
        cardRuns(text, anyIssuer, (from, to) -> {
            for (int k = from; k < to; k++) {
                if (isDigit(out[k])) {
                    out[k] = '*';
                }
            }
        });
        return new String(out);
    }

    /** Calls {@code found} with [from, to) of each digit run holding a card number; returns how many. */
    private static int cardRuns(CharSequence text, boolean anyIssuer,
                                java.util.function.BiConsumer<Integer, Integer> found) {
        int[] count = {0};
        DigitRuns.forEach(new DigitRuns.Text() {
            @Override
            public int length() {
                return text.length();
            }

            @Override
            public int digitWidth(int i) {
                return isDigit(text.charAt(i)) ? 1 : 0;
            }

            @Override
            public boolean isSeparator(int i) {
                return DigitRuns.isSeparator(text.charAt(i));
            }
        }, (from, to, digits) -> {
            StringBuilder run = new StringBuilder(digits);
            for (int k = from; k < to; k++) {
                if (isDigit(text.charAt(k))) {
                    run.append(text.charAt(k));
                }
            }
            if (holdsCardNumber(run, anyIssuer)) {
                found.accept(from, to);
                count[0]++;
            }
        });
        return count[0];
    }

    private static boolean holdsCardNumber(CharSequence digits, boolean anyIssuer) {
        for (int len = MIN_LENGTH; len <= Math.min(MAX_LENGTH, digits.length()); len++) {
            for (int s = 0; s + len <= digits.length(); s++) {
                String window = digits.subSequence(s, s + len).toString();
                if ((anyIssuer || brand(window) != null) && Luhn.valid(window)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return DigitRuns.isDigit(c);
    }

    /**
     * The card brand whose issuer range and lengths the digits fit, or null. Ranges of the major
     * networks (ISO/IEC 7812 IINs as the networks publish them); Maestro's 50/56-69 range is left out,
     * as it would make nearly every run starting with 5 or 6 a candidate.
     */
    public static String brand(String d) {
        int n = d.length();
        int p2 = Integer.parseInt(d.substring(0, 2));
        int p3 = Integer.parseInt(d.substring(0, 3));
        int p4 = Integer.parseInt(d.substring(0, 4));
        if (d.charAt(0) == '4' && (n == 13 || n == 16 || n == 19)) {
            return "visa";
        }
        if (n == 16 && ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))) {
            return "mastercard";
        }
        if (n == 15 && (p2 == 34 || p2 == 37)) {
            return "amex";
        }
        if (n >= 16 && (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649))) {
            return "discover";
        }
        if (n >= 16 && p4 >= 3528 && p4 <= 3589) {
            return "jcb";
        }
        if (n >= 14 && ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39)) {
            return "diners";
        }
        if (n >= 16 && p2 == 62) {
            return "unionpay";
        }
        return null;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
