package dev.vigil.alerts.security;

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

    public UserController(Users users) {
        this.users = users;
    }

    @Serdeable
    public record NewUser(@NotBlank @Size(max = 32) String username,
                          @NotBlank @Size(min = PasswordHasher.MIN_LENGTH, max = PasswordHasher.MAX_LENGTH) String password,
                          @NotBlank @Pattern(regexp = "ANALYST|LEAD|ADMIN") String role) {
    }

    @Serdeable
    public record UserChange(@Nullable @Pattern(regexp = "ANALYST|LEAD|ADMIN") String role,
                             @Nullable Boolean enabled,
                             @Nullable @Size(min = PasswordHasher.MIN_LENGTH, max = PasswordHasher.MAX_LENGTH) String password) {
    }

    @Get
    @Operation(summary = "All users with their roles")
    public List<Users.User> list() {
        return users.list();
    }

    @Post
    @Status(HttpStatus.CREATED)
    @Operation(summary = "Create a user")
    public Users.User create(@Body @Valid NewUser user, Principal admin) {
        return users.create(user.username(), user.password(), Role.parse(user.role()), admin.getName());
    }

    @Patch("/{username}")
    @Operation(summary = "Change a user's role, enable or disable them, or set a new password")
    public Users.User update(@PathVariable @Size(max = 32) String username, @Body @Valid UserChange change) {
        return users.update(username, change.role() == null ? null : Role.parse(change.role()), change.enabled(),
                change.password());
    }
}
