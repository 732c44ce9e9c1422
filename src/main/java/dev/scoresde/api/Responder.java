package dev.scoresde.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import dev.scoresde.serve.Execution;
import dev.scoresde.serve.ImageCodec;
import dev.scoresde.serve.InferenceService;
import dev.scoresde.serve.JobService;
import dev.scoresde.serve.Operation;
import dev.scoresde.serve.OperationResult;
import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.InvalidRequestException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import java.util.concurrent.CompletionException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Runs an operation for a request: synchronously (an async servlet response bounded by the sync deadline;
 * the task is cancelled when the deadline passes or the connection ends early) or as a job (202 + Location).
 */
@ConditionalOnWebApplication
@Component
class Responder {
  private final InferenceService inference;
  private final JobService jobs;
  private final DisconnectWatch disconnects;

  Responder(InferenceService inference, JobService jobs, DisconnectWatch disconnects) {
    this.inference = inference;
    this.jobs = jobs;
    this.disconnects = disconnects;
  }

  Object run(Operation op, boolean async, Long timeoutMs, String accept) {
    Duration deadline = inference.properties().syncDeadline();
    if (timeoutMs != null) {
      if (timeoutMs < 1) {
        throw new InvalidRequestException("timeoutMs", "timeoutMs must be positive, got " + timeoutMs);
      }
      deadline = Duration.ofMillis(Math.min(timeoutMs, deadline.toMillis()));
    }
    Duration limit = deadline;
    if (async) {
      JobService.Job job = jobs.create(op);
      exposeExecution(job.execution());
      return ResponseEntity.accepted().location(URI.create("/v1/jobs/" + job.id())).body(JobViews.of(job, false));
    }
    boolean png = wantsPng(accept);
    Execution e = inference.submit(op);
    exposeExecution(e);
    DeferredResult<ResponseEntity<?>> out = new DeferredResult<>(limit.toMillis());
    e.result().whenComplete((r, t) -> {
      if (t == null) {
        out.setResult(render(r, png));
      } else {
        out.setErrorResult(t instanceof CompletionException c && c.getCause() != null ? c.getCause() : t);
      }
    });
    // The deadline has its own timer: the servlet container checks async timeouts only every second or so,
    // so a request could otherwise finish (200) well past a short deadline.
    Runnable expire = () -> {
      if (out.setErrorResult(new ServeException(ServeException.Kind.DEADLINE, "the request did not finish within "
          + limit.toMillis() + " ms; use ?async=true for long work"))) {
        e.cancel("deadline of " + limit.toMillis() + " ms passed");
      }
    };
    ScheduledFuture<?> deadlineTimer = disconnects.after(limit, expire);
    out.onTimeout(expire);
    ScheduledFuture<?> watch = disconnects.watch(
        ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest(),
        () -> e.cancel("client disconnected"));
    out.onError(t -> e.cancel("client connection failed: " + t.getMessage()));
    out.onCompletion(() -> {
      deadlineTimer.cancel(false);
      if (watch != null) {
        watch.cancel(false);
      }
      e.cancel("client went away");
    });
    return out;
  }

  /**
   * The submitted work as a request attribute named after {@link Execution}: the quota filter
   * ({@code api.security.QuotaFilter}) holds the caller's work-in-progress slot until it ends and counts its NFE.
   */
  static void exposeExecution(Execution e) {
    RequestContextHolder.currentRequestAttributes().setAttribute(Execution.class.getName(), e,
        org.springframework.web.context.request.RequestAttributes.SCOPE_REQUEST);
  }

  static ResponseEntity<?> render(OperationResult r, boolean png) {
    if (png && r.shape().isImage() && !r.images().isEmpty()) {
      return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
          .body(ImageCodec.grid(r.images(), r.shape(), r.range()));
    }
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Responses.Result.of(r));
  }

  /** image/png if the client ranks it above JSON (an explicit Accept: image/png). */
  static boolean wantsPng(String accept) {
    if (accept == null || accept.isBlank()) {
      return false;
    }
    try {
      List<MediaType> types = MediaType.parseMediaTypes(accept);
      types = new java.util.ArrayList<>(types);
      types.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
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
