package dev.vigil.loadtest.chaos;

import dev.vigil.core.json.JsonTree;
import dev.vigil.core.token.PanScanner;
import dev.vigil.testkit.harness.Reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The PANs that went in, as the scanner may know them: a World's PAN witness hands each PAN here as
 * it is made, and only its salted hash and BIN are kept. Saved as {@code pans.json} by a chaos run,
 * read back by the scan.
 */
public final class InputPans implements Consumer<String> {
    private final byte[] salt;
    private final TreeSet<String> hashes = new TreeSet<>();
    private final TreeSet<String> bins = new TreeSet<>();

    private InputPans(byte[] salt) {
        this.salt = salt;
    }

    /** An empty set with a salt of its own. */
    public static InputPans withFreshSalt() {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return new InputPans(salt);
    }

    public static InputPans read(Path file) throws IOException {
        Map<String, Object> json = JsonTree.object(JsonTree.parse(Files.readAllBytes(file)), "");
        InputPans pans = new InputPans(HexFormat.of().parseHex(JsonTree.string(json, "salt")));
        JsonTree.array(json, "hashes").forEach(h -> pans.hashes.add(String.valueOf(h)));
        JsonTree.array(json, "bins").forEach(b -> pans.bins.add(String.valueOf(b)));
        return pans;
    }

    @Override
    public void accept(String pan) {
        hashes.add(PanScanner.hash(salt, pan));
        bins.add(pan.substring(0, 6));
    }

    public int size() {
        return hashes.size();
    }

    public PanScanner scanner() {
        return new PanScanner(salt, hashes, bins);
    }

    public void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("note", "salted SHA-256 of the PANs this run's worlds made; for the PAN scanner, never the PANs");
        json.put("salt", HexFormat.of().formatHex(salt));
        json.put("bins", new ArrayList<>(bins));
        json.put("hashes", new ArrayList<>(hashes));
        Files.writeString(file, Reports.json(json));
    }
}
