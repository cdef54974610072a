package dev.vigil.testkit.world;

/**
 * A merchant category: its MCC, how it is paid (card present, online or both), the amount
 * distribution (log-normal around a median, in USD-like major units) and when people use it.
 */
enum Category {
    GROCERY("5411", Mode.PRESENT, 45, 0.6, 0.24, 10, 19),
    RESTAURANT("5812", Mode.PRESENT, 35, 0.6, 0.12, 13, 20),
    FAST_FOOD("5814", Mode.PRESENT, 12, 0.5, 0.10, 12, 18),
    FUEL("5541", Mode.PRESENT, 45, 0.4, 0.08, 8, 18),
    PHARMACY("5912", Mode.PRESENT, 25, 0.7, 0.05, 10, 18),
    DEPARTMENT("5311", Mode.BOTH, 80, 0.8, 0.06, 11, 19),
    ELECTRONICS("5732", Mode.BOTH, 180, 1.0, 0.03, 12, 20),
    ONLINE_RETAIL("5999", Mode.ONLINE, 50, 0.9, 0.10, 9, 22),
    RIDES("4121", Mode.ONLINE, 20, 0.5, 0.06, 8, 23),
    AIRLINE("4511", Mode.ONLINE, 350, 0.6, 0.01, 9, 21),
    HOTEL("7011", Mode.PRESENT, 180, 0.5, 0.01, 14, 22),
    JEWELRY("5944", Mode.PRESENT, 300, 0.9, 0.005, 11, 18),
    ATM("6011", Mode.PRESENT, 100, 0.6, 0.04, 9, 21),
    STREAMING("4899", Mode.ONLINE, 13, 0.3, 0.04, 0, 23),
    DIGITAL_GOODS("5816", Mode.ONLINE, 20, 0.8, 0.045, 15, 23);

    enum Mode { PRESENT, ONLINE, BOTH }

    final String mcc;
    final Mode mode;
    final double medianAmount;
    final double sigma;
    final double share;
    final int openHour;
    final int closeHour;

    Category(String mcc, Mode mode, double medianAmount, double sigma, double share, int openHour, int closeHour) {
        this.mcc = mcc;
        this.mode = mode;
        this.medianAmount = medianAmount;
        this.sigma = sigma;
        this.share = share;
        this.openHour = openHour;
        this.closeHour = closeHour;
    }

    boolean online() {
        return mode == Mode.ONLINE;
    }

    boolean present() {
        return mode == Mode.PRESENT;
    }
}
