package dev.vigil.testkit.world;

import dev.vigil.core.token.CardIdentity;

import java.util.ArrayList;
import java.util.List;

/**
 * A card and its holder's habits. The PAN itself is never kept: it is tokenized when the card is
 * made, as the ingress edge would, and only the {@link CardIdentity} remains.
 */
final class Card {
    final int index;
    final CardIdentity identity;
    final City home;
    final double dailyRate;
    final double spendFactor;
    final double[] categoryCumulative;
    final double onlineShare;
    final double peakHour;
    final double hourSpread;
    /** Two regular merchants per card-present category, in the home city. */
    final int[][] regulars;
    /** Work queued for later days (merchant-breach fraud, second day of a bust-out). */
    final List<Planned> planned = new ArrayList<>();

    Card(int index, CardIdentity identity, City home, double dailyRate, double spendFactor,
         double[] categoryCumulative, double onlineShare, double peakHour, double hourSpread, int[][] regulars) {
        this.index = index;
        this.identity = identity;
        this.home = home;
        this.dailyRate = dailyRate;
        this.spendFactor = spendFactor;
        this.categoryCumulative = categoryCumulative;
        this.onlineShare = onlineShare;
        this.peakHour = peakHour;
        this.hourSpread = hourSpread;
        this.regulars = regulars;
    }

    String currency() {
        return home.currency();
    }

    /** A scenario to run on a given day. */
    record Planned(long epochDay, Scenario scenario, int part) {
    }
}
