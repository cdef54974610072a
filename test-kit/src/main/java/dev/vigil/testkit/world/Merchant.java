package dev.vigil.testkit.world;

/** A merchant: in a city (card present) or online (a country, no place). */
record Merchant(int index, String id, Category category, String country, double lat, double lon,
                int utcOffsetMinutes, boolean online) {
}
