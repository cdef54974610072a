package dev.vigil.loadtest.chaos;

import dev.vigil.core.json.JsonTree;
import dev.vigil.core.token.PanScanner;
import dev.vigil.loadtest.kafka.KafkaSettings;
import dev.vigil.loadtest.suite.Reports;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The PAN scanner over everything a run leaves behind that this tool can read in clear: every
 * record (key, value, headers) of every topic on the broker, every file under the given folders
 * (logs, checkpoints, model store, lake; read as raw bytes) and the bodies of the alert API's
 * answers. The PANs that went in are known from the runs' {@code pans.json} files (salted hashes).
 * Fails on any input PAN found; lists (masked) every other run that passes a card range and Luhn.
 * Delta tables' Parquet pages are compressed, so the lake is also scanned row by row through Spark
 * ({@code ./vigil lake scan-pans}); the raw file scan here covers its JSON logs and checkpoints.
 */
public final class PanScan {
    private final List<PanScanner> scanners = new ArrayList<>();
    private final Map<String, Long> scanned = new TreeMap<>();
    private final List<Object> inputPans = new ArrayList<>();
    private final List<Object> candidates = new ArrayList<>();
    private long candidateCount;
    private long inputPanCount;

    /**
     * @param panFiles the {@code pans.json} of chaos runs
     * @param worlds   generated worlds whose PANs went in (a demo's), rebuilt here from seed and size;
     *                 their PANs are hashed as they are made and kept only as hashes
     */
    public PanScan(List<Path> panFiles, List<dev.vigil.loadtest.world.WorldConfig> worlds,
                   dev.vigil.core.token.PanTokenizer tokenizer) throws IOException {
        if (!worlds.isEmpty()) {
            byte[] salt = new byte[16];
            new java.security.SecureRandom().nextBytes(salt);
            Set<String> hashes = new HashSet<>();
            Set<String> bins = new HashSet<>();
            for (var w : worlds) {
                new dev.vigil.loadtest.world.World(w, tokenizer, pan -> {
                    hashes.add(PanScanner.hash(salt, pan));
                    bins.add(pan.substring(0, 6));
                });
                inputPanCount += w.cards();
            }
            scanners.add(new PanScanner(salt, hashes, bins));
        }
        for (Path f : panFiles) {
            Map<String, Object> pans = JsonTree.object(JsonTree.parse(Files.readAllBytes(f)), "");
            Set<String> hashes = new HashSet<>();
            Set<String> bins = new HashSet<>();
            JsonTree.array(pans, "hashes").forEach(h -> hashes.add(String.valueOf(h)));
            JsonTree.array(pans, "bins").forEach(b -> bins.add(String.valueOf(b)));
            scanners.add(new PanScanner(HexFormat.of().parseHex(JsonTree.string(pans, "salt")), hashes, bins));
            inputPanCount += hashes.size();
        }
        if (scanners.isEmpty()) {
            scanners.add(new PanScanner(new byte[0], Set.of(), Set.of()));
        }
    }

    private void scan(String area, String where, byte[] bytes) {
        if (bytes == null) {
            return;
        }
        scanned.merge(area, (long) bytes.length, Long::sum);
        Set<String> seen = new HashSet<>();
        for (PanScanner s : scanners) {
            s.scan(where, bytes, f -> {
                if (!seen.add(f.masked() + f.inputPan())) {
                    return;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("where", f.where());
                m.put("masked", f.masked());
                m.put("brand", f.brand());
                if (f.inputPan()) {
                    inputPans.add(m);
                } else if (scanners.indexOf(s) == 0) {
                    candidateCount++;
                    if (candidates.size() < 200) {
                        candidates.add(m);
                    }
                }
            });
        }
    }

    /** Every record of every topic, from the beginning. */
    public void topics(String bootstrap) throws Exception {
        Set<String> names;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            names = admin.listTopics().names().get();
        }
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "vigil-pan-scan"))) {
            for (String topic : new java.util.TreeSet<>(names)) {
                List<TopicPartition> parts = c.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                c.assign(parts);
                c.seekToBeginning(parts);
                Map<TopicPartition, Long> end = c.endOffsets(parts);
                long records = 0;
                while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        String where = "topic " + topic + "/" + r.partition() + "@" + r.offset();
                        scan("topics", where, r.key() == null ? null : r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        scan("topics", where, r.value());
                        for (Header h : r.headers()) {
                            scan("topics", where + " header " + h.key(), h.value());
                        }
                        records++;
                    }
                }
                scanned.merge("topic records", records, Long::sum);
            }
        }
    }

    /** Every regular file under {@code root}, as bytes. */
    public void files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                if (f.getFileName().toString().equals("pans.json")) {
                    continue; // the scanner's own input: hashes, never PANs
                }
                try (InputStream in = Files.newInputStream(f)) {
                    byte[] buf = new byte[1 << 20];
                    int n;
                    byte[] carry = new byte[0];
                    while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                        // Chunks overlap by 40 bytes, so a run across a chunk boundary is still whole in one.
                        byte[] chunk = new byte[carry.length + n];
                        System.arraycopy(carry, 0, chunk, 0, carry.length);
                        System.arraycopy(buf, 0, chunk, carry.length, n);
                        scan("files", "file " + f, chunk);
                        carry = java.util.Arrays.copyOfRange(chunk, Math.max(0, chunk.length - 40), chunk.length);
                    }
                } catch (IOException e) {
                    scanned.merge("files unreadable", 1L, Long::sum);
                }
                scanned.merge("file count", 1L, Long::sum);
            }
        }
    }

    /** The alert API's answers to an analyst: alert lists and details, card timelines, cases, audit. */
    public void api(URI base, String user, String password) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String login = "{\"username\":" + Reports.json(user) + ",\"password\":" + Reports.json(password) + "}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(login)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login to the alert API failed: " + r.statusCode());
        }
        String token = String.valueOf(JsonTree.object(JsonTree.parse(r.body().getBytes()), "").get("access_token"));
        List<String> paths = new ArrayList<>(List.of("/api/alerts?limit=200", "/api/cases?limit=200", "/api/audit?limit=500",
                "/api/stats/queue", "/api/users"));
        String alerts = get(http, base, token, paths.get(0));
        scan("api", "GET " + paths.get(0), alerts.getBytes());
        Object items = JsonTree.object(JsonTree.parse(alerts.getBytes()), "").get("items");
        int details = 0;
        if (items instanceof List<?> list) {
            for (Object o : list) {
                if (details++ >= 50 || !(o instanceof Map<?, ?> a)) {
                    break;
                }
                paths.add("/api/alerts/" + a.get("alert_id"));
                paths.add("/api/cards/" + a.get("card_token") + "/timeline");
            }
        }
        for (String p : paths.subList(1, paths.size())) {
            scan("api", "GET " + p, get(http, base, token, p).getBytes());
        }
        scanned.merge("api responses", (long) paths.size(), Long::sum);
    }

    private static String get(HttpClient http, URI base, String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    public boolean report(Path dir, String scenario) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scenario", scenario);
        report.put("scanned", scanned);
        report.put("input_pans_known", inputPanCount);
        report.put("input_pans_found", inputPans.size());
        report.put("input_pan_locations", inputPans);
        report.put("card_like_runs", candidateCount);
        report.put("card_like_runs_listed", candidates);
        // Nothing known to look for, or nothing read, would pass any scan: neither counts as a pass.
        boolean pass = inputPans.isEmpty() && inputPanCount > 0 && scanned.getOrDefault("topic records", 0L) > 0;
        report.put("pass", pass);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), Reports.json(report) + "\n");
        System.out.printf("%s: %s — scanned %s; %d input PANs found in clear; %d other runs pass a card range and Luhn"
                + " (listed masked in report.json)%n", scenario, pass ? "PASS" : "FAIL", scanned, inputPans.size(), candidateCount);
        return pass;
    }
}
