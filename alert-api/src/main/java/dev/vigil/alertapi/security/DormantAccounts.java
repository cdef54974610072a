package dev.vigil.alertapi.security;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disables accounts with no login for 90 days (PCI DSS 8.2.6), every hour. A login attempt checks
 * the same on its own; the sweep makes the user list tell the truth in between.
 */
@Singleton
public class DormantAccounts {
    private static final Logger LOG = LoggerFactory.getLogger(DormantAccounts.class);
    private final Users users;

    DormantAccounts(Users users) {
        this.users = users;
    }

    @Scheduled(fixedDelay = "1h", initialDelay = "1m")
    public int disable() {
        int disabled = users.disableDormant(null);
        if (disabled > 0) {
            LOG.info("Disabled {} account(s) with no login for {}", disabled, Users.DORMANT_AFTER);
        }
        return disabled;
    }
}
