package dev.vigil.alertapi.card;

import dev.vigil.alertapi.ApiException;
import dev.vigil.alertapi.security.Role;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import dev.vigil.core.token.PanTokenizer;

/** A card's timeline. */
@Controller("/api/cards")
@Secured(Role.ANALYST_ROLE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "cards")
public class CardController {
    private final CardTimeline timeline;

    public CardController(CardTimeline timeline) {
        this.timeline = timeline;
    }

    @Get("/{cardToken}/timeline")
    @Operation(summary = "The card's authorizations (as alerts carried them), alerts, notes and verdicts, newest first")
    public CardTimeline.Timeline timeline(@PathVariable @Pattern(regexp = PanTokenizer.TOKEN_SHAPE, message = "must be a card token (43 characters: letters, digits, _ and -)") String cardToken) {
        CardTimeline.Timeline t = timeline.of(cardToken);
        if (t.entries().isEmpty()) {
            throw ApiException.notFound("card " + cardToken);
        }
        return t;
    }
}
