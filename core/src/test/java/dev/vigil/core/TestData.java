package dev.vigil.core;

import dev.vigil.core.event.Action;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.EntryMode;
import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;
import dev.vigil.core.event.MerchantProfile;
import dev.vigil.core.event.RecentAuthorization;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Records for tests: a readable default authorization, and seeded random valid records of every type. */
public final class TestData {
    public static final String TOKEN = "tok_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    public static final long T0 = Instant.parse("2024-03-01T12:00:00Z").toEpochMilli();

    private TestData() {
    }

    /** A card-present chip purchase of 42.50 USD at a US grocery, at T0 + {@code offsetMs}. */
    public static Authorization auth(String id, long offsetMs, long amountCents) {
        return new Authorization(id, TOKEN, "dev", "411111", "1111", 16, amountCents, "USD", amountCents, "USD",
                "merchant-1", "5411", "US", 40.7128, -74.0060, -300, Channel.CARD_PRESENT, EntryMode.CHIP, null,
                T0 + offsetMs, 0, null, null);
    }

    public static Authorization at(Authorization a, String merchant, String country, double lat, double lon,
                                   Channel channel) {
        return new Authorization(a.authorizationId(), a.cardToken(), a.tokenKeyId(), a.bin(), a.last4(),
                a.panLength(), a.amountMinor(), a.currency(), a.billingAmountMinor(), a.billingCurrency(), merchant,
                a.mcc(), country, lat, lon, a.utcOffsetMinutes(), channel, a.entryMode(), a.hostDecline(),
                a.eventTimeMs(), a.cardSeq(), null, null);
    }

    public static final class Random2 {
        private final Random r;

        public Random2(long seed) {
            r = new Random(seed);
        }

        public Random raw() {
            return r;
        }

        String chars(String alphabet, int min, int max) {
            int n = min + r.nextInt(max - min + 1);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return b.toString();
        }

        static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

        String id() {
            return chars(ALNUM + "._:-", 1, 40);
        }

        String token() {
            return chars(ALNUM + "_-", 16, 64);
        }

        String digits(int n) {
            return chars("0123456789", n, n);
        }

        String upper(int n) {
            return chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", n, n);
        }

        String merchant() {
            StringBuilder b = new StringBuilder();
            int n = 1 + r.nextInt(40);
            for (int i = 0; i < n; i++) {
                b.append((char) (' ' + r.nextInt(95)));
            }
            return b.toString();
        }

        <T> T maybe(T value) {
            return r.nextInt(4) == 0 ? null : value;
        }

        double maybeCoord(double limit) {
            return r.nextInt(4) == 0 ? Double.NaN : (r.nextDouble() * 2 - 1) * limit;
        }

        long time() {
            return 946_684_800_000L + (long) (r.nextDouble() * 4_000_000_000_000L);
        }

        public Authorization authorization() {
            int panLength = r.nextInt(3) == 0 ? 0 : 12 + r.nextInt(8);
            String keyId = chars(ALNUM + "._-", 1, 12);
            boolean announcing = r.nextInt(4) == 0; // a rotation's next key: another id, the same card's other token
            return new Authorization(id(), token(), keyId,
                    panLength >= 15 ? digits(6) : null, panLength == 0 ? null : digits(4), panLength,
                    (long) (r.nextDouble() * 1e9), upper(3), (long) (r.nextDouble() * 1e9), upper(3), merchant(),
                    maybe(digits(4)), maybe(upper(2)), maybeCoord(90), maybeCoord(180),
                    r.nextInt(4) == 0 ? Authorization.NO_UTC_OFFSET : -720 + r.nextInt(1561),
                    Channel.values()[r.nextInt(Channel.values().length)],
                    EntryMode.values()[r.nextInt(EntryMode.values().length)],
                    maybe(chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", 1, 32)), time(),
                    (long) (r.nextDouble() * 1e12), announcing ? token() : null, announcing ? keyId + "n" : null);
        }

        public Decision decision() {
            List<String> reasons = new ArrayList<>();
            for (int i = r.nextInt(5); i > 0; i--) {
                reasons.add(chars(ALNUM + "_:.+-", 1, 30));
            }
            return new Decision(id(), token(), r.nextBoolean() ? Float.NaN : r.nextFloat(),
                    Action.values()[r.nextInt(3)], reasons, maybe(chars(ALNUM + "._-", 1, 20)),
                    maybe(LocalDate.ofEpochDay(11_000 + r.nextInt(10_000)).toString()), r.nextInt(100_000),
                    r.nextInt(100_000), time(), time(), r.nextInt(1_000_000), r.nextBoolean() ? 0 : time());
        }

        public Alert alert() {
            Authorization a = authorization();
            List<String> related = new ArrayList<>();
            for (int i = r.nextInt(6); i > 0; i--) {
                related.add(id());
            }
            List<RecentAuthorization> recent = new ArrayList<>();
            for (int i = r.nextInt(6); i > 0; i--) {
                recent.add(RecentAuthorization.of(authorization()));
            }
            return new Alert(id(), chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 1, 30), token(), time(), a,
                    r.nextBoolean() ? null : decision(), related, recent);
        }

        public Label label() {
            LabelSource source = LabelSource.values()[r.nextInt(2)];
            return Label.of(id(), token(), r.nextBoolean() ? null : merchant(), r.nextBoolean(), source, time(), time(),
                    source == LabelSource.ANALYST ? chars(ALNUM + "._@-", 1, 20) : null);
        }

        public CardProfile cardProfile() {
            float[] hours = new float[24];
            for (int i = 0; i < 24; i++) {
                hours[i] = r.nextFloat();
            }
            Map<String, Double> mcc = new HashMap<>();
            for (int i = r.nextInt(9); i > 0; i--) {
                mcc.put(digits(4), r.nextDouble() * 500);
            }
            List<String> countries = new ArrayList<>();
            for (int i = r.nextInt(9); i > 0; i--) {
                countries.add(upper(2));
            }
            List<String> merchants = new ArrayList<>();
            for (int i = r.nextInt(17); i > 0; i--) {
                merchants.add(merchant());
            }
            return new CardProfile(token(), LocalDate.ofEpochDay(11_000 + r.nextInt(10_000)), r.nextInt(500),
                    r.nextDouble() * 300, r.nextDouble() * 100, r.nextInt(1500), r.nextDouble() * 300,
                    r.nextDouble() * 100, hours, mcc, countries, merchants, maybeCoord(90), maybeCoord(180),
                    r.nextInt(5), maybe(LocalDate.ofEpochDay(11_000 + r.nextInt(10_000))));
        }

        public dev.vigil.core.event.ModelUpdate modelUpdate() {
            return new dev.vigil.core.event.ModelUpdate(chars(ALNUM + "._-", 1, 20), chars(ALNUM + "._-", 1, 40),
                    "s3a://bucket/models/" + chars(ALNUM, 1, 30), "sha256:" + chars("0123456789abcdef", 64, 64),
                    chars("0123456789abcdef", 64, 64), time());
        }

        public dev.vigil.core.event.CardWatch cardWatch() {
            return new dev.vigil.core.event.CardWatch(token(), chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", 1, 48), time(), id(),
                    r.nextInt(1_000_000));
        }

        public MerchantProfile merchantProfile() {
            return new MerchantProfile(merchant(), LocalDate.ofEpochDay(11_000 + r.nextInt(10_000)),
                    r.nextInt(100_000), r.nextInt(10_000), r.nextDouble() * 300, r.nextDouble(), r.nextDouble(),
                    r.nextInt(100));
        }
    }
}
