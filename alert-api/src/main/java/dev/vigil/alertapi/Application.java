package dev.vigil.alertapi;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** The analysts' service: alerts in from Kafka, cases and verdicts over REST, labels out to Kafka. */
@OpenAPIDefinition(
        info = @Info(title = "vigil-alert-api", version = "0.1",
                description = "Alerts, cases and verdicts for fraud analysts. Log in at POST /login; "
                        + "send the access token as a bearer token."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
