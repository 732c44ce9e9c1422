package dev.scoresde.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import dev.scoresde.api.security.Callers;
import dev.scoresde.serve.runtime.Execution;
import dev.scoresde.serve.ImageCodec;
import dev.scoresde.serve.runtime.InferenceService;
import dev.scoresde.serve.runtime.Job;
import dev.scoresde.serve.runtime.JobStore;
import dev.scoresde.serve.task.Operation;
import dev.scoresde.serve.task.OperationResult;
import dev.scoresde.serve.ServeException;
import java.net.URI;
import java.time.Duration;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.CompletionStage;
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
  private final JobStore jobs;
  private final DisconnectWatch disconnects;

  Responder(InferenceService inference, JobStore jobs, DisconnectWatch disconnects) {
    this.inference = inference;
    this.jobs = jobs;
    this.disconnects = disconnects;
  }

  Object run(Operation op, Delivery delivery) {
    Duration limit = delivery.deadline(inference.properties().syncDeadline());
    HttpServletRequest request = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
    if (delivery.async()) {
      return accepted(jobs, op, request);
    }
    boolean png = delivery.png();
    Execution e = inference.submit(op);
    exposeWork(e.result());
    DeferredResult<ResponseEntity<?>> out = new DeferredResult<>(limit.toMillis());
    e.result().whenComplete((r, t) -> {
      if (t == null) {
        out.setResult(render(r, png, e.timing()));
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
    ScheduledFuture<?> watch = disconnects.watch(request, () -> e.cancel("client disconnected"));
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

  /** Submits {@code op} as a job of the calling client: 202 with the job's URL in Location. */
  static ResponseEntity<Responses.Job> accepted(JobStore jobs, Operation op, HttpServletRequest request) {
    Job job = jobs.submit(op, Callers.of(request));
    exposeWork(jobs.completion(job.id()));
    return ResponseEntity.accepted().location(URI.create("/v1/jobs/" + job.id())).body(JobViews.of(job, null));
  }

  /**
   * The submitted work's completion as a request attribute named after {@link Execution}: the quota filter
   * ({@code api.security.QuotaFilter}) holds the caller's work-in-progress slot until it ends and counts its NFE.
   */
  static void exposeWork(CompletionStage<OperationResult> done) {
    RequestContextHolder.currentRequestAttributes().setAttribute(Execution.class.getName(), done,
        org.springframework.web.context.request.RequestAttributes.SCOPE_REQUEST);
  }

  /**
   * The result as a PNG grid or JSON, with where the server's time went in {@code Server-Timing} (W3C): queue,
   * run (the worker's batch), score (inside score evaluations, part of run) and encode (PNG or base64 images),
   * in milliseconds.
   */
  static ResponseEntity<?> render(OperationResult r, boolean png, Execution.Timing timing) {
    long t0 = System.nanoTime();
    boolean grid = png && r.shape().isImage() && !r.images().isEmpty();
    Object body = grid ? ImageCodec.grid(r.images(), r.shape(), r.range()) : Responses.Result.of(r);
    long encode = System.nanoTime() - t0;
    var ok = ResponseEntity.ok().contentType(grid ? MediaType.IMAGE_PNG : MediaType.APPLICATION_JSON);
    if (timing != null) {
      ok.header(SERVER_TIMING, String.format(java.util.Locale.ROOT,
          "queue;dur=%.1f, run;dur=%.1f, score;dur=%.1f, encode;dur=%.1f", timing.queuedNanos() / 1e6,
          timing.runNanos() / 1e6, timing.scoreNanos() / 1e6, encode / 1e6));
    }
    return ok.body(body);
  }

  static final String SERVER_TIMING = "Server-Timing";
}
