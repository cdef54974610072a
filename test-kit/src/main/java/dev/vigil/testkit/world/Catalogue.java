package dev.vigil.testkit.world;

import java.util.List;
import java.util.Map;

/** The fixed geography and money of the synthetic world. */
final class Catalogue {
    private Catalogue() {
    }

    static final List<City> CITIES = List.of(
            new City("NYC", "US", "USD", 40.7128, -74.0060, -300, 8),
            new City("LAX", "US", "USD", 34.0522, -118.2437, -480, 6),
            new City("CHI", "US", "USD", 41.8781, -87.6298, -360, 5),
            new City("HOU", "US", "USD", 29.7604, -95.3698, -360, 4),
            new City("MIA", "US", "USD", 25.7617, -80.1918, -300, 3),
            new City("SEA", "US", "USD", 47.6062, -122.3321, -480, 3),
            new City("DEN", "US", "USD", 39.7392, -104.9903, -420, 2),
            new City("BOS", "US", "USD", 42.3601, -71.0589, -300, 2),
            new City("ATL", "US", "USD", 33.7490, -84.3880, -300, 2),
            new City("LON", "GB", "GBP", 51.5074, -0.1278, 0, 6),
            new City("MAN", "GB", "GBP", 53.4808, -2.2426, 0, 2),
            new City("BER", "DE", "EUR", 52.5200, 13.4050, 60, 3),
            new City("MUC", "DE", "EUR", 48.1351, 11.5820, 60, 2),
            new City("PAR", "FR", "EUR", 48.8566, 2.3522, 60, 4),
            new City("LYS", "FR", "EUR", 45.7640, 4.8357, 60, 1),
            new City("MAD", "ES", "EUR", 40.4168, -3.7038, 60, 2),
            new City("BCN", "ES", "EUR", 41.3874, 2.1686, 60, 2),
            new City("AMS", "NL", "EUR", 52.3676, 4.9041, 60, 2),
            new City("TYO", "JP", "JPY", 35.6762, 139.6503, 540, 4),
            new City("OSA", "JP", "JPY", 34.6937, 135.5023, 540, 1),
            new City("TOR", "CA", "CAD", 43.6532, -79.3832, -300, 3),
            new City("VAN", "CA", "CAD", 49.2827, -123.1207, -480, 1),
            new City("SYD", "AU", "AUD", -33.8688, 151.2093, 600, 2),
            new City("MEL", "AU", "AUD", -37.8136, 144.9631, 600, 1),
            new City("SAO", "BR", "BRL", -23.5505, -46.6333, -180, 2),
            new City("MEX", "MX", "MXN", 19.4326, -99.1332, -360, 2),
            new City("SIN", "SG", "SGD", 1.3521, 103.8198, 480, 1),
            new City("DXB", "AE", "AED", 25.2048, 55.2708, 240, 1));

    /** Countries whose merchants fraudsters cash out through in account-takeover scenarios. */
    static final List<String> FRAUD_COUNTRIES = List.of("NG", "RU", "RO", "UA", "VN", "ID", "PH", "CN");

    /** Countries of online merchants (where e-commerce acquirers sit). */
    static final List<String> ONLINE_COUNTRIES = List.of("US", "US", "US", "GB", "IE", "NL", "DE", "LU", "SG");

    /** Units of each currency per US dollar (a fixed table: the world has no FX market). */
    static final Map<String, Double> PER_USD = Map.ofEntries(
            Map.entry("USD", 1.0), Map.entry("GBP", 0.79), Map.entry("EUR", 0.92), Map.entry("JPY", 150.0),
            Map.entry("CAD", 1.36), Map.entry("AUD", 1.52), Map.entry("BRL", 5.0), Map.entry("MXN", 17.0),
            Map.entry("SGD", 1.34), Map.entry("AED", 3.67), Map.entry("NGN", 1500.0), Map.entry("RUB", 92.0),
            Map.entry("RON", 4.6), Map.entry("UAH", 39.0), Map.entry("VND", 24_500.0), Map.entry("IDR", 15_600.0),
            Map.entry("PHP", 56.0), Map.entry("CNY", 7.2));

    static final Map<String, String> CURRENCY_OF_COUNTRY = Map.ofEntries(
            Map.entry("US", "USD"), Map.entry("GB", "GBP"), Map.entry("DE", "EUR"), Map.entry("FR", "EUR"),
            Map.entry("ES", "EUR"), Map.entry("NL", "EUR"), Map.entry("IE", "EUR"), Map.entry("LU", "EUR"),
            Map.entry("JP", "JPY"), Map.entry("CA", "CAD"), Map.entry("AU", "AUD"), Map.entry("BR", "BRL"),
            Map.entry("MX", "MXN"), Map.entry("SG", "SGD"), Map.entry("AE", "AED"), Map.entry("NG", "NGN"),
            Map.entry("RU", "RUB"), Map.entry("RO", "RON"), Map.entry("UA", "UAH"), Map.entry("VN", "VND"),
            Map.entry("ID", "IDR"), Map.entry("PH", "PHP"), Map.entry("CN", "CNY"));

    /** Issuer BINs by card country: the first six digits of generated PANs. */
    static final Map<String, List<String>> BINS = Map.ofEntries(
            Map.entry("US", List.of("414720", "426684", "517805", "546616", "371449")),
            Map.entry("GB", List.of("465901", "535522")), Map.entry("DE", List.of("455951", "520424")),
            Map.entry("FR", List.of("497010", "513691")), Map.entry("ES", List.of("454742", "540625")),
            Map.entry("NL", List.of("459150", "529963")), Map.entry("JP", List.of("356600", "490220")),
            Map.entry("CA", List.of("450603", "520306")), Map.entry("AU", List.of("456462", "521729")),
            Map.entry("BR", List.of("406655", "523421")), Map.entry("MX", List.of("415231", "557910")),
            Map.entry("SG", List.of("454313", "524115")), Map.entry("AE", List.of("400555", "535940")));

    static double perUsd(String currency) {
        Double rate = PER_USD.get(currency);
        if (rate == null) {
            throw new IllegalArgumentException("no rate for " + currency);
        }
        return rate;
    }
}
