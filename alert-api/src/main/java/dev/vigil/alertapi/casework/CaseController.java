package dev.vigil.alertapi.casework;

import dev.vigil.alertapi.ApiException;
import dev.vigil.alertapi.alert.Cursor;
import dev.vigil.alertapi.alert.Page;
import dev.vigil.alertapi.security.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Cases: one card's open alerts, claimed, noted and resolved by analysts. */
@Controller("/api/cases")
@Secured(Role.ANALYST_ROLE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "cases")
public class CaseController {
    public static final int MAX_NOTE = 4000;
    private final Cases cases;

    public CaseController(Cases cases) {
        this.cases = cases;
    }

    @Serdeable
    public record Assignment(@NotBlank @Size(max = 32) String assignee) {
    }

    @Serdeable
    public record NewNote(@NotBlank @Size(max = MAX_NOTE) String text) {
    }

    @Serdeable
    public record VerdictRequest(@NotNull Verdict verdict, @Nullable @Size(max = MAX_NOTE) String note) {
    }

    @Get
    @Operation(summary = "Cases by status (OPEN by default), most recent alert first; mine=true for my own")
    public Page<CaseView> list(@QueryValue(defaultValue = "OPEN") @Pattern(regexp = "OPEN|RESOLVED") String status,
                               @QueryValue(defaultValue = "false") boolean mine,
                               @Nullable @QueryValue @Size(max = 256) String cursor,
                               @QueryValue(defaultValue = "50") @Min(1) @Max(200) int limit,
                               Authentication user) {
        Cursor after = Cursor.decode(cursor);
        if (after != null && !after.id().matches("\\d{1,18}")) {
            throw ApiException.badRequest("cursor is not one this service issued");
        }
        return cases.list(status, mine ? user.getName() : null, after, limit);
    }

    @Get("/{caseId}")
    @Operation(summary = "A case with its alerts and notes")
    public CaseView get(@PathVariable long caseId) {
        return cases.get(caseId);
    }

    @Post("/{caseId}/claim")
    @Operation(summary = "Claim an open case for yourself (409 when someone else holds it)")
    public CaseView claim(@PathVariable long caseId, Authentication user) {
        return cases.claim(caseId, user.getName());
    }

    @Post("/{caseId}/assign")
    @Secured(Role.LEAD_ROLE)
    @Operation(summary = "Assign an open case to an analyst (LEAD)")
    public CaseView assign(@PathVariable long caseId, @Body @Valid Assignment assignment) {
        return cases.assign(caseId, assignment.assignee());
    }

    @Post("/{caseId}/notes")
    @Status(HttpStatus.CREATED)
    @Operation(summary = "Add a note to a case")
    public CaseView.Note note(@PathVariable long caseId, @Body @Valid NewNote note, Authentication user) {
        return cases.addNote(caseId, user.getName(), note.text());
    }

    @Post("/{caseId}/resolve")
    @Operation(summary = "Resolve a case with a verdict; publishes one label per covered authorization",
            description = "Repeating the same request changes and publishes nothing (repeated=true).")
    public Cases.Resolution resolve(@PathVariable long caseId, @Body @Valid VerdictRequest request,
                                    Authentication user) {
        boolean lead = user.getRoles().contains(Role.LEAD_ROLE);
        return cases.resolve(caseId, request.verdict(), user.getName(), lead, request.note());
    }
}
