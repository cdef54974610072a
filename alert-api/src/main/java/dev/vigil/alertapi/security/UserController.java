package dev.vigil.alertapi.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.security.Principal;
import java.util.List;

/** Users and their roles: ADMIN only. */
@Controller("/api/users")
@Secured(Role.ADMIN_ROLE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "users")
public class UserController {
    private final Users users;
    private final Sessions sessions;

    public UserController(Users users, Sessions sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    @Serdeable
    public record NewUser(@NotBlank @Size(max = 32) String username,
                          @NotBlank @Size(min = PasswordPolicy.MIN_LENGTH, max = PasswordPolicy.MAX_LENGTH) String password,
                          @NotBlank @Pattern(regexp = "ANALYST|LEAD|ADMIN") String role) {
    }

    @Serdeable
    public record UserChange(@Nullable @Pattern(regexp = "ANALYST|LEAD|ADMIN") String role,
                             @Nullable Boolean enabled,
                             @Nullable @Size(min = PasswordPolicy.MIN_LENGTH, max = PasswordPolicy.MAX_LENGTH) String password) {
    }

    @Get
    @Operation(summary = "All users with their roles")
    public List<Users.User> list() {
        return users.list();
    }

    @Post
    @Status(HttpStatus.CREATED)
    @Operation(summary = "Create a user, who must change the password at first login")
    public Users.User create(@Body @Valid NewUser user, Principal admin) {
        return users.create(user.username(), user.password(), Role.parse(user.role()), admin.getName());
    }

    @Patch("/{username}")
    @Operation(summary = "Change a user's role, enable or disable them, or set a new password (which they must "
            + "change at next login); the user's sessions end. The last enabled admin cannot be disabled or demoted.")
    public Users.User update(@PathVariable @Size(max = 32) String username, @Body @Valid UserChange change) {
        try {
            return users.update(username, change.role() == null ? null : Role.parse(change.role()), change.enabled(),
                    change.password());
        } finally {
            sessions.forget(username);
        }
    }
}
