package dev.vigil.alertapi.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.security.Principal;

/** The logged-in user's own account: who they are, their password, logging out everywhere. */
@Controller("/api/me")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "users")
public class MeController {
    private final Users users;
    private final Sessions sessions;

    MeController(Users users, Sessions sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    @Serdeable
    public record Me(String username, String role, boolean mustChangePassword, @Nullable String lastLoginAt,
                     long idleTimeoutSeconds) {
    }

    @Serdeable
    public record PasswordChange(@NotBlank @Size(max = PasswordPolicy.MAX_LENGTH) String currentPassword,
                                 @NotBlank @Size(max = PasswordPolicy.MAX_LENGTH) String newPassword) {
    }

    @Get
    @Operation(summary = "The logged-in user, and whether the password must be changed before anything else")
    public Me me(Principal me) {
        Users.User u = users.find(me.getName()).orElseThrow();
        return new Me(u.username(), u.role(), u.mustChangePassword(), u.lastLoginAt(), sessions.idleTimeoutSeconds());
    }

    @Post("/password")
    @Status(HttpStatus.NO_CONTENT)
    @Operation(summary = "Change your own password; every session ends, so log in again with the new one")
    public void changePassword(@Body @Valid PasswordChange change, Principal me) {
        try {
            users.changeOwnPassword(me.getName(), change.currentPassword(), change.newPassword());
        } finally {
            sessions.forget(me.getName());
        }
    }

    @Post("/logout")
    @Status(HttpStatus.NO_CONTENT)
    @Operation(summary = "Log out everywhere: every token issued to you so far stops working")
    public void logout(Principal me) {
        users.endSessions(me.getName());
        sessions.forget(me.getName());
    }
}
