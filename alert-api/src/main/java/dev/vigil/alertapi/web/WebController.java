package dev.vigil.alertapi.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;

import java.net.URI;

/** The analyst page lives under /ui (static files); the root sends browsers there. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@Hidden
public class WebController {
    @Get
    public HttpResponse<?> root() {
        return HttpResponse.seeOther(URI.create("/ui/index.html"));
    }
}
