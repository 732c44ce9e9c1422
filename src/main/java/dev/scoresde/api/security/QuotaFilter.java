package dev.scoresde.api.security;

import dev.scoresde.api.hardening.Problems;
import dev.scoresde.serve.runtime.Execution;
import dev.scoresde.serve.task.OperationResult;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Quotas and usage of {@code /v1/**}, after authentication and before authorization (and before the filter that
 * turns a denial into 401/403, so those answers are counted with their status). Every request takes a token
 * from its caller's bucket (a key's, or its client address's without a key): an empty bucket is a 429 with
 * {@code Retry-After} = the bucket's wait for its next token; every answer carries {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds until the bucket is full). A POST also takes a
 * unit of the caller's work in progress, held until the answer is complete or, for a job (202), until the job
 * ends. The work is found through the request attribute that {@code api.Responder} and {@code api.JobsController}
 * set to a {@link CompletionStage} of the submitted work's result ({@link #EXECUTION}): the execution's result, or
 * a job's completion in whichever store holds it.
 */
final class QuotaFilter extends OncePerRequestFilter {
  /** The request attribute holding the completion of the work a request submitted. */
  static final String EXECUTION = Execution.class.getName();

  private final QuotaProperties props;
  private final Quotas quotas;
  private final KeyMetrics metrics;

  QuotaFilter(QuotaProperties props, Quotas quotas, KeyMetrics metrics) {
    this.props = props;
    this.quotas = quotas;
    this.metrics = metrics;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = ScopeRules.path(request);
    return !(path.equals("/v1") || path.startsWith("/v1/"));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    ApiKey key = Callers.key();
    String name = key == null ? KeyMetrics.ANONYMOUS : key.name();
    String caller = Callers.of(request);
    boolean work = "POST".equals(request.getMethod());
    if (props.enabled()) {
      long capacity = key == null ? props.anonymousRequests()
          : key.requests() != null ? key.requests() : props.requests();
      Quotas.Verdict v = quotas.consume(caller, capacity);
      response.setHeader("RateLimit-Limit", Long.toString(v.limit()));
      response.setHeader("RateLimit-Remaining", Long.toString(v.remaining()));
      response.setHeader("RateLimit-Reset", Long.toString(v.resetSeconds()));
      if (!v.allowed()) {
        refuse(request, response, name, "rate", v.retryAfterSeconds(), "the rate limit of " + (key == null
            ? "anonymous requests from this address" : "key '" + name + "'") + " is " + v.limit() + " requests per "
            + props.period().toSeconds() + " s; the next is allowed in " + v.retryAfterSeconds() + " s");
        return;
      }
      if (work) {
        int max = key == null ? props.anonymousMaxConcurrent()
            : key.maxConcurrent() != null ? key.maxConcurrent() : props.maxConcurrent();
        if (!quotas.acquire(caller, max)) {
          refuse(request, response, name, "concurrency", 1, (key == null ? "this address" : "key '" + name + "'")
              + " already has " + max + " requests or jobs in progress; wait for one to finish");
          return;
        }
      }
    }
    boolean hold = props.enabled() && work;
    AtomicBoolean released = new AtomicBoolean(!hold);
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        quotas.release(caller);
      }
    };
    try {
      chain.doFilter(request, response);
    } finally {
      if (request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            finish(request, response, name, release);
          }

          @Override
          public void onTimeout(AsyncEvent event) {}

          @Override
          public void onError(AsyncEvent event) {}

          @Override
          public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
          }
        });
      } else {
        finish(request, response, name, release);
      }
    }
  }

  private void finish(HttpServletRequest request, HttpServletResponse response, String name, Runnable release) {
    int status = response.getStatus();
    metrics.request(name, status);
    if (request.getAttribute(EXECUTION) instanceof CompletionStage<?> done) {
      done.whenComplete((r, t) -> {
        metrics.result(name, r instanceof OperationResult o ? o : null);
        release.run();
      });
      if (status == 202) {
        return;
      }
    }
    release.run();
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, String name, String reason,
      long retryAfter, String detail) throws IOException {
    metrics.throttled(name, reason);
    metrics.request(name, 429);
    response.setHeader("Retry-After", Long.toString(retryAfter));
    Problems.write(response, 429, reason.equals("rate") ? "rate-limited" : "too-many-concurrent",
        "Too many requests", detail, request.getRequestURI(), Map.of("retryAfter", retryAfter));
  }

}
