package dev.vigil.testkit.world;

/** A place where cards live and merchants trade. The offset ignores daylight saving on purpose. */
record City(String code, String country, String currency, double lat, double lon, int utcOffsetMinutes,
            double weight) {
}
