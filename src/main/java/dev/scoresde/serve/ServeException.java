package dev.scoresde.serve;

/**
 * Refusals of the inference core that are not about one parameter; {@link #kind} tells the API which
 * status to answer with.
 */
public class ServeException extends RuntimeException {

  /** What went wrong, for the status code and the problem type. */
  public enum Kind {
    /** No such model or job (404). */
    NOT_FOUND,
    /** The model cannot do this operation (422). */
    UNSUPPORTED,
    /** The model is still loading or failed to load (503). */
    UNAVAILABLE,
    /** The shared job store (Redis) cannot be reached (503 with Retry-After). */
    STORE_UNAVAILABLE,
    /** The queue or the job table is full (429 with Retry-After). */
    BUSY,
    /** The synchronous deadline passed (504). */
    DEADLINE,
    /** The request was cancelled (409 for a job's result). */
    CANCELLED,
    /** The server stopped before the request finished (503 with Retry-After: another replica can take it). */
    SHUTTING_DOWN,
    /** The model's computation left finite values for this input, e.g. a diverging probability flow (422). */
    DIVERGED
  }

  private final Kind kind;
  private final long retryAfterSeconds;

  public ServeException(Kind kind, String message) {
    this(kind, message, 0);
  }

  public ServeException(Kind kind, String message, long retryAfterSeconds) {
    super(message);
    this.kind = kind;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Kind kind() {
    return kind;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
