package dev.vigil.alertapi.audit;

import dev.vigil.alertapi.ApiException;
import dev.vigil.alertapi.alert.Cursor;
import dev.vigil.alertapi.alert.Page;
import dev.vigil.alertapi.security.Role;
import dev.vigil.alertapi.security.Users;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

/** The audit log, readable by ADMIN only. */
@Controller("/api/audit")
@Secured(Role.ADMIN_ROLE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "audit")
public class AuditController {
    private final AuditLog audit;

    public AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @Get
    @Operation(summary = "Audit entries, newest first (ADMIN)")
    public Page<AuditLog.Entry> list(@Nullable @QueryValue @Size(max = 32) String user,
                                     @Nullable @QueryValue @Size(max = 256) String cursor,
                                     @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        // Only names a user could have: anything else is a mistake or a probe, and says so.
        String badUser = user == null ? null : Users.validateName(user);
        if (badUser != null) {
            throw ApiException.badRequest("user: " + badUser);
        }
        Cursor after = Cursor.decode(cursor);
        if (after != null && !after.id().matches("\\d{1,18}")) {
            throw ApiException.badRequest("cursor is not one this service issued");
        }
        return audit.list(user, after == null ? null : Long.parseLong(after.id()), limit);
    }
}
