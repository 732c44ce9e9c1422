package dev.scoresde.api.hardening;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}: a {@code sendError} from Tomcat or a filter, e.g. 405 for
 * TRACE, 408 for a body that stopped arriving) as a problem document, in place of Spring Boot's JSON map.
 */
@ConditionalOnWebApplication
@RestController
@io.swagger.v3.oas.annotations.Hidden // the container's error page, not an operation of the API
class ProblemErrorController implements ErrorController {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorController.class);

  @RequestMapping("${server.error.path:${error.path:/error}}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i && i >= 400 ? i : 500;
    Object error = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    if (error instanceof Throwable t && status >= 500) {
      LOG.error("request {} failed", request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), t);
    }
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "HTTP " + status : known.getReasonPhrase();
    ProblemDetail p = ProblemDetail.forStatus(status);
    p.setType(URI.create("urn:score-sde:problem:"
        + (known == null ? "http-" + status : known.name().toLowerCase(Locale.ROOT).replace('_', '-'))));
    p.setTitle(title);
    p.setDetail(switch (status) {
      case 405 -> "this method is not allowed on " + Scrub.cut(String.valueOf(
          request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)), 200);
      case 408 -> "the request body did not arrive in time";
      default -> status >= 500 ? "the server failed to complete the request" : title;
    });
    if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
      try {
        p.setInstance(URI.create(Scrub.cut(uri, 200)));
      } catch (IllegalArgumentException e) {
        // not a URI reference: leave the instance out
      }
    }
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }
}
