package dev.vigil.loadtest.chaos;

import dev.vigil.core.topic.KafkaClientSecurity;
import dev.vigil.core.json.JsonTree;
import dev.vigil.core.token.PanScanner;
import dev.vigil.loadtest.api.ApiClient;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.harness.Reports;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The PAN scanner over everything a run leaves behind that this tool can read in clear: every
 * record (key, value, headers) of every topic on the broker and every file under the given folders
 * (logs, checkpoints, model store, broker data; read as raw bytes). The PANs that went in are known
 * from the runs' {@code pans.json} files or rebuilt worlds (salted hashes, {@link InputPans}). Fails
 * on any input PAN found; lists (masked) every other run that passes a card range and Luhn. Raw bytes
 * only: compressed pages (Delta's Parquet, RocksDB blocks) are as searchable as their compression
 * leaves them, so a lake is scanned row by row from {@code ./vigil lake digest --rows} (JSON lines),
 * and the alert API through its own answers ({@link #api}).
 */
public final class PanScan {
    private final List<PanScanner> scanners = new ArrayList<>();
    private final Map<String, Long> scanned = new TreeMap<>();
    private final List<Object> inputPans = new ArrayList<>();
    private final List<Object> candidates = new ArrayList<>();
    private long candidateCount;
    private long inputPanCount;
    private final Set<String> seen = new HashSet<>();
    private String seenWhere = "";

    /** A generated world as {@code SEED:CARDS} names it (how the demo and the chaos suite pass theirs). */
    public static dev.vigil.testkit.world.WorldConfig world(String seedAndCards) {
        String[] sc = seedAndCards.trim().split(":");
        if (sc.length != 2) {
            throw new IllegalArgumentException("a world is SEED:CARDS, got " + seedAndCards);
        }
        return new dev.vigil.testkit.world.WorldConfig(Long.parseLong(sc[0]), Integer.parseInt(sc[1]),
                java.time.LocalDate.now(java.time.ZoneOffset.UTC), "scan", 1.0);
    }

    /**
     * @param panFiles the {@code pans.json} of chaos runs
     * @param worlds   generated worlds whose PANs went in (a demo's), rebuilt here from seed and size;
     *                 their PANs are hashed as they are made and kept only as hashes
     */
    public PanScan(List<Path> panFiles, List<dev.vigil.testkit.world.WorldConfig> worlds,
                   dev.vigil.core.token.PanTokenizer tokenizer) throws IOException {
        List<InputPans> known = new ArrayList<>();
        if (!worlds.isEmpty()) {
            InputPans made = InputPans.withFreshSalt();
            worlds.forEach(w -> new dev.vigil.testkit.world.World(w, tokenizer, made));
            known.add(made);
        }
        for (Path f : panFiles) {
            known.add(InputPans.read(f));
        }
        for (InputPans p : known) {
            scanners.add(p.scanner());
            inputPanCount += p.size();
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
        if (!where.equals(seenWhere)) {
            seenWhere = where;
            seen.clear();
        }
        // Each scanner knows one run's PANs (each its own salt); all of them report the same card-like
        // runs, which are therefore taken from the first only.
        PanScanner first = scanners.get(0);
        for (PanScanner s : scanners) {
            s.scan(where, bytes, f -> {
                if ((!f.inputPan() && s != first) || !seen.add(f.masked() + f.inputPan())) {
                    return; // one finding per place, also across a file's overlapping chunks
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("where", f.where());
                m.put("masked", f.masked());
                m.put("brand", f.brand());
                if (f.inputPan()) {
                    inputPans.add(m);
                } else {
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
        topics(bootstrap, 0);
    }

    /**
     * The alert API's answers as an admin sees them: the alert queue (up to {@code maxAlerts}), each
     * of those alerts in full, their cards' timelines, the cases, users, audit log and statistics.
     */
    public void api(URI uri, String adminPassword, int maxAlerts) throws Exception {
        ApiClient client = new ApiClient(uri);
        String token = client.login("admin", adminPassword);
        List<String> paths = new ArrayList<>(List.of("/api/cases?limit=200", "/api/cases?status=RESOLVED&limit=200",
                "/api/users", "/api/audit?limit=1000", "/api/stats/queue"));
        Set<String> cards = new LinkedHashSet<>();
        String cursor = null;
        int alerts = 0;
        do {
            String path = "/api/alerts?limit=200" + (cursor == null ? "" : "&cursor=" + cursor);
            ApiClient.Reply page = client.get(path, token);
            scan("api responses", "GET " + path, page.body().getBytes(StandardCharsets.UTF_8));
            scanned.merge("api requests", 1L, Long::sum);
            if (!page.ok()) {
                throw new IllegalStateException(path + " -> " + page.status() + " " + page.body());
            }
            Map<String, Object> json = JsonTree.object(JsonTree.parse(
                    page.body().getBytes(StandardCharsets.UTF_8)), "");
            for (Object o : JsonTree.array(json, "items")) {
                Map<?, ?> item = (Map<?, ?>) o;
                if (alerts++ < maxAlerts) {
                    paths.add("/api/alerts/" + URLEncoder.encode(String.valueOf(item.get("alertId")),
                            StandardCharsets.UTF_8));
                    cards.add(String.valueOf(item.get("cardToken")));
                }
            }
            cursor = json.get("next") instanceof String n && alerts < maxAlerts
                    ? URLEncoder.encode(n, StandardCharsets.UTF_8) : null;
        } while (cursor != null);
        cards.forEach(c -> paths.add("/api/cards/" + URLEncoder.encode(c, StandardCharsets.UTF_8)
                + "/timeline"));
        for (String path : paths) {
            ApiClient.Reply r = client.get(path, token);
            scan("api responses", "GET " + path, r.body().getBytes(StandardCharsets.UTF_8));
            scanned.merge("api requests", 1L, Long::sum);
        }
    }

    /** Every record of every topic written at or after {@code sinceMs} (0: from the beginning). */
    public void topics(String bootstrap, long sinceMs) throws Exception {
        Set<String> names;
        Map<String, Object> config = new java.util.HashMap<>(KafkaClientSecurity.fromEnvironment());
        config.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(config)) {
            names = admin.listTopics().names().get();
        }
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "vigil-pan-scan"))) {
            for (String topic : new java.util.TreeSet<>(names)) {
                List<TopicPartition> parts = c.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                c.assign(parts);
                Map<TopicPartition, Long> end = c.endOffsets(parts);
                if (sinceMs <= 0) {
                    c.seekToBeginning(parts);
                } else {
                    Map<TopicPartition, Long> query = new java.util.HashMap<>();
                    parts.forEach(p -> query.put(p, sinceMs));
                    var start = c.offsetsForTimes(query);
                    parts.forEach(p -> c.seek(p, start.get(p) == null ? end.get(p) : start.get(p).offset()));
                }
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
