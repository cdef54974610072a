package dev.vigil.alertapi.security;

import java.util.List;

/**
 * What a user may do. Each role includes the ones before it, so a token carries every role its
 * holder has and endpoints name the least role they need.
 */
public enum Role {
    /** read alerts and cases, claim, note, resolve */
    ANALYST,
    /** + reassign cases, queue statistics */
    LEAD,
    /** + users and the audit log */
    ADMIN;

    public static final String ANALYST_ROLE = "ANALYST";
    public static final String LEAD_ROLE = "LEAD";
    public static final String ADMIN_ROLE = "ADMIN";

    /** The roles a token of this role carries. */
    public List<String> granted() {
        return switch (this) {
            case ANALYST -> List.of(ANALYST_ROLE);
            case LEAD -> List.of(ANALYST_ROLE, LEAD_ROLE);
            case ADMIN -> List.of(ANALYST_ROLE, LEAD_ROLE, ADMIN_ROLE);
        };
    }

    public static Role parse(String text) {
        try {
            return Role.valueOf(text);
        } catch (RuntimeException e) {
            throw dev.vigil.alertapi.ApiException.badRequest("role must be ANALYST, LEAD or ADMIN");
        }
    }
}
