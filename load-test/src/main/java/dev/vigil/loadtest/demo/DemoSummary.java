package dev.vigil.loadtest.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The last screen of {@code ./vigil demo}: what the system did, in a few lines. */
public final class DemoSummary {
    private static final Pattern PAIR = Pattern.compile("\"([A-Z_]+)\"\\s*:\\s*(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private DemoSummary() {
    }

    public static void print(URI api, String password, Path metrics, Path stream, long seconds) throws Exception {
        System.out.println();
        System.out.println("================ Vigil demo: summary ================");
        for (String line : Files.readAllLines(stream)) {
            if (line.startsWith("sent ") || line.startsWith("decisions ")) {
                System.out.println("traffic   " + line);
            }
        }
        Map<String, Long> byPattern = alertsByPattern(api, password);
        System.out.println("alerts    " + (byPattern.isEmpty() ? "none yet" : byPattern.toString().replaceAll("[{}]", "")));
        if (metrics != null && Files.exists(metrics)) {
            String json = Files.readString(metrics);
            System.out.printf("model     holdout AP %s, ROC AUC %s, recall at 1%% FPR %s, card precision@k %s (%s)%n",
                    number(json, "average_precision"), number(json, "roc_auc"), number(json, "recall_at_1pct_fpr"),
                    number(json, "card_precision_at_k"), metrics.getParent().resolve("report.html"));
        }
        System.out.println("analysts  " + api + "  (user admin; password: sed -n 's/^admin_password=//p' .vigil/api/credentials)");
        System.out.printf("wall time %d min %02d s%n", seconds / 60, seconds % 60);
    }

    /** Open alerts by pattern, from the alert API's queue statistics (as the first admin). */
    static Map<String, Long> alertsByPattern(URI api, String password) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(api.resolve("/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher t = TOKEN.matcher(login.body());
        if (login.statusCode() != 200 || !t.find()) {
            System.out.println("alerts    (could not log in to the alert API: " + login.statusCode() + ")");
            return Map.of();
        }
        String stats = http.send(HttpRequest.newBuilder(api.resolve("/api/stats/queue"))
                .header("Authorization", "Bearer " + t.group(1)).build(), HttpResponse.BodyHandlers.ofString()).body();
        int from = stats.indexOf("\"openAlertsByPattern\"");
        int to = stats.indexOf('}', from);
        Map<String, Long> out = new LinkedHashMap<>();
        if (from >= 0 && to > from) {
            Matcher m = PAIR.matcher(stats.substring(from, to));
            while (m.find()) {
                out.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return out;
    }

    private static String number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE]+)").matcher(json);
        return m.find() ? String.format("%.3f", Double.parseDouble(m.group(1))) : "?";
    }
}
