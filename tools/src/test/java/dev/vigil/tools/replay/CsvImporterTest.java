package dev.vigil.tools.replay;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.Label;
import dev.vigil.core.token.Luhn;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvImporterTest {
    private static final PanTokenizer TOKENIZER = new PanTokenizer(TokenKey.development());
    private static final String SPARKOV_HEADER = "trans_num,unix_time,trans_date,trans_time,cc_num,acct_num,merchant,"
            + "category,amt,merch_lat,merch_long,first,last,gender,street,city,state,zip,lat,long,city_pop,job,dob,"
            + "profile,is_fraud";

    /** Collects what an import emits. */
    static final class Collect implements CsvImporter.Sink {
        final List<Authorization> authorizations = new ArrayList<>();
        final List<Label> labels = new ArrayList<>();
        final List<CsvImporter.Rejected> rejected = new ArrayList<>();

        @Override
        public void authorization(Authorization a, boolean fraud) {
            authorizations.add(a);
        }

        @Override
        public void label(Label label) {
            labels.add(label);
        }
    }

    private static String pan(String payload) {
        return payload + Luhn.checkDigit(payload);
    }

    private static String sparkovRow(String id, long time, String cc, String category, String amount, int fraud) {
        return id + "," + time + ",2023-01-01,00:00:03," + cc + ",885305458961,fraud_Kim Ltd," + category + ","
                + amount + ",27.49,-79.21,Ann,Lee,F,\"1 Main St, Apt 2\",Boynton Beach,FL,33437,26.53,-80.14,155385,"
                + "\"Administrator, local government\",1979-07-11,adults_2550_female_urban.json," + fraud;
    }

    @Test
    void sparkovRowsBecomeTokenizedAuthorizationsAndBadRowsAreReportedByLine(@TempDir Path dir) throws IOException {
        String card1 = pan("413290162047876"), card2 = pan("422681715160");
        List<String> lines = List.of(SPARKOV_HEADER,
                sparkovRow("a1", 1672531203, card1, "gas_transport", "82.43", 0),
                sparkovRow("a2", 1672531273, card2, "shopping_net", "6.11", 1),
                sparkovRow("a3", 1672531300, "4111111111111112", "grocery_pos", "10.00", 0),
                sparkovRow("a4", 1672531400, card1, "grocery_pos", "-5", 0),
                "a5,1672531500,only,three",
                sparkovRow("a6", 1672531600, card1, "grocery_pos", "12.5", 1).replace("\"Admin", "Admin"),
                sparkovRow("a7", 1672531700, card1, "grocery_pos", "19.99", 0));
        Path file = dir.resolve("sample.csv");
        Files.write(file, lines);
        Collect out = new Collect();
        CsvImporter.Result result = new CsvImporter(ColumnMapping.builtIn("sparkov"), TOKENIZER, 1)
                .run(file, out, out.rejected::add, null);

        assertEquals(7, result.rows());
        assertEquals(3, result.imported());
        assertEquals(4, result.rejected());
        assertEquals(List.of(4L, 5L, 6L, 7L), out.rejected.stream().map(CsvImporter.Rejected::line).toList());
        assertEquals("card number fails the Luhn check", out.rejected.get(0).reason());
        assertTrue(out.rejected.get(1).reason().contains("amount"));
        assertTrue(out.rejected.get(2).reason().contains("columns"));

        Authorization first = out.authorizations.get(0);
        assertEquals(8243, first.amountMinor());
        assertEquals("5541", first.mcc());
        assertEquals(Channel.UNKNOWN, first.channel());
        assertEquals(1_672_531_203_000L, first.eventTimeMs());
        assertEquals(Authorization.NO_UTC_OFFSET, first.utcOffsetMinutes());
        assertEquals("413290", first.bin());
        assertEquals(card1.substring(12), first.last4());
        assertEquals(Channel.ECOMMERCE, out.authorizations.get(1).channel());
        assertNull(out.authorizations.get(1).bin(), "a 13-digit PAN keeps only its last four");
        assertEquals(List.of(1L, 1L, 2L), out.authorizations.stream().map(Authorization::cardSeq).toList(),
                "sequence numbers count each card's rows in file order");

        assertEquals(1, out.labels.size());
        Label label = out.labels.get(0);
        assertEquals("a2", label.authorizationId());
        long delayDays = (label.labelTimeMs() - label.eventTimeMs()) / 86_400_000L;
        assertTrue(delayDays >= 2 && delayDays <= 90, "delay " + delayDays);
        Collect again = new Collect();
        new CsvImporter(ColumnMapping.builtIn("sparkov"), TOKENIZER, 1).run(file, again, r -> { }, null);
        assertEquals(out.labels, again.labels, "the drawn delay is reproducible");
    }

    @Test
    void aCustomMappingTakesOpaqueCardIdsDateTimesAndLacksWhatTheFileLacks(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("other.csv");
        Files.writeString(csv, "TX;CUSTOMER;WHEN;AMOUNT_CENTS;TERMINAL;FRAUD\n"
                + "t1;C0042;2024-02-03 10:15:00;1999;T-17;0\n"
                + "t2;C0042;2024-02-03 10:16:30;250000;T-99;1\n"
                + "t3;C0042;03/02/2024;100;T-1;0\n");
        Path mappingFile = dir.resolve("mapping.properties");
        Files.writeString(mappingFile, """
                delimiter = ;
                authorization_id = TX
                card = CUSTOMER
                card.kind = opaque
                event_time = WHEN
                event_time.format = yyyy-MM-dd HH:mm:ss
                event_time.zone = Europe/Paris
                amount = AMOUNT_CENTS
                amount.unit = minor
                currency.value = EUR
                merchant_id = TERMINAL
                label = FRAUD
                """);
        Collect out = new Collect();
        CsvImporter.Result result = new CsvImporter(ColumnMapping.load(mappingFile), TOKENIZER, 1)
                .run(csv, out, out.rejected::add, null);
        assertEquals(2, result.imported());
        assertEquals(1, result.rejected());
        assertTrue(out.rejected.get(0).reason().contains("event_time"));
        Authorization a = out.authorizations.get(0);
        assertEquals(java.time.Instant.parse("2024-02-03T09:15:00Z").toEpochMilli(), a.eventTimeMs());
        assertEquals(1999, a.amountMinor());
        assertEquals("EUR", a.currency());
        assertNull(a.mcc());
        assertNull(a.last4());
        assertEquals(0, a.panLength());
        assertTrue(Double.isNaN(a.merchantLat()));
        assertEquals(TOKENIZER.tokenizeOpaque("C0042").token(), a.cardToken());
        assertEquals(1, out.labels.size());
    }

    @Test
    void aMappingThatNamesMissingColumnsOrUnknownFieldsIsRefusedClearly(@TempDir Path dir) throws IOException {
        Path mapping = dir.resolve("m.properties");
        Files.writeString(mapping, "card = A\nevent_time = B\namount = C\nmerchant_id = D\ncolour = E\n");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ColumnMapping.load(mapping));
        assertTrue(e.getMessage().contains("colour"));
        Files.writeString(mapping, "card = A\nevent_time = B\namount = C\nmerchant_id = NOPE\n");
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, "A,B,C\n");
        IOException io = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> new CsvImporter(ColumnMapping.load(mapping), TOKENIZER, 1).run(csv, new Collect(), r -> { }, null));
        assertTrue(io.getMessage().contains("NOPE"));
    }

    /** The real third-party sample the repository ships (data/third-party/sparkov): every row imports, and no card number comes out. */
    @Test
    void theSparkovSampleImportsWhole() throws IOException {
        Path file = Path.of(System.getProperty("vigil.sparkov.sample",
                "../data/third-party/sparkov/sparkov-v0.5-500cards-60days.csv.gz"));
        assertTrue(Files.exists(file), "the Sparkov sample is missing: " + file.toAbsolutePath());
        Collect out = new Collect();
        CsvImporter.Result result = new CsvImporter(ColumnMapping.builtIn("sparkov"), TOKENIZER, 42)
                .run(file, out, out.rejected::add, null);
        assertEquals(71_960, result.rows());
        assertEquals(0, result.rejected(), () -> out.rejected.subList(0, Math.min(5, out.rejected.size())).toString());
        assertEquals(495, result.cards());
        assertEquals(4_645, result.fraud());

        Set<String> pans = new HashSet<>();
        try (Stream<String> lines = new java.io.BufferedReader(new java.io.InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8)).lines()) {
            lines.skip(1).forEach(l -> pans.add(l.split(",")[4]));
        }
        assertEquals(495, pans.size());
        // A PAN can only appear inside a run of 12+ digits, so checking those runs is exhaustive.
        java.util.regex.Pattern runs = java.util.regex.Pattern.compile("[0-9]{12,}");
        long runsChecked = 0;
        for (Authorization a : out.authorizations) {
            String json = new String(dev.vigil.core.json.AuthorizationCodec.INSTANCE.encode(a), StandardCharsets.UTF_8);
            var m = runs.matcher(json);
            while (m.find()) {
                runsChecked++;
                String run = m.group();
                for (String pan : pans) {
                    assertFalse(run.contains(pan), "a card number survived the import");
                }
            }
        }
        assertTrue(runsChecked >= out.authorizations.size(), "event times are scanned too, so the check ran");
    }
}
