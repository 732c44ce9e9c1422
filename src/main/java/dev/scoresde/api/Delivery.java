package dev.scoresde.api;

import dev.scoresde.serve.InvalidRequestException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.MediaType;

/**
 * How the client wants an operation's answer, the same for every operation endpoint: now or as a job
 * ({@code ?async=true}), within which deadline ({@code ?timeoutMs=}), as JSON or one PNG grid
 * ({@code Accept: image/png}). Read by {@link DeliveryResolver}, documented by {@link DeliveryDocs}.
 *
 * @param async run as a job: 202 + Location
 * @param timeoutMs the synchronous deadline in ms (null: the server's)
 * @param accept the Accept header, or null
 */
record Delivery(boolean async, Long timeoutMs, String accept) {

  /** The synchronous deadline: {@code timeoutMs}, at most the server's {@code max}. */
  Duration deadline(Duration max) {
    if (timeoutMs == null) {
      return max;
    }
    if (timeoutMs < 1) {
      throw new InvalidRequestException("timeoutMs", "timeoutMs must be positive, got " + timeoutMs);
    }
    return Duration.ofMillis(Math.min(timeoutMs, max.toMillis()));
  }

  /** image/png if the client ranks it above JSON (an explicit Accept: image/png). */
  boolean png() {
    if (accept == null || accept.isBlank()) {
      return false;
    }
    try {
      List<MediaType> types = new java.util.ArrayList<>(MediaType.parseMediaTypes(accept));
      types.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
      for (MediaType t : types) {
        if (t.equalsTypeAndSubtype(MediaType.IMAGE_PNG)) {
          return true;
        }
        if (t.isCompatibleWith(MediaType.APPLICATION_JSON)) {
          return false;
        }
      }
    } catch (RuntimeException ex) {
      return false;
    }
    return false;
  }
}
