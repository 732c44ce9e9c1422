package dev.scoresde.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import dev.scoresde.api.security.Callers;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.serve.InvalidRequestException;
import dev.scoresde.serve.runtime.Job;
import dev.scoresde.serve.runtime.JobListener;
import dev.scoresde.serve.runtime.JobStore;
import dev.scoresde.serve.task.Operation;
import dev.scoresde.serve.OperationKind;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

@ConditionalOnWebApplication
@RestController
@Tag(name = "jobs", description = "Long work as jobs: status, progress (Server-Sent Events), cancellation")
class JobsController {
  private final JobStore jobs;
  private final ObjectMapper mapper;

  JobsController(JobStore jobs, ObjectMapper mapper) {
    this.jobs = jobs;
    this.mapper = mapper;
  }

  @Schema(description = "Any operation as a job.", example = """
      {"model": "patterns", "operation": "samples", "parameters": {"n": 4, "steps": 200, "seed": 1}}""")
  record Submit(@Schema(example = "patterns") String model,
      @Schema(description = "samples, inpaint, colorize, interpolate, encode, decode or likelihood",
          example = "samples") String operation,
      @Schema(description = "the operation's JSON body") JsonNode parameters) {}

  @PostMapping(path = "/v1/jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
  @io.swagger.v3.oas.annotations.Operation(summary = "Submit a job",
      description = "202 Accepted with the job's URL in Location. Same parameters as the synchronous endpoints.")
  ResponseEntity<Responses.Job> submit(@RequestBody Submit body, HttpServletRequest request) {
    if (body.model() == null || body.model().isBlank()) {
      throw new InvalidRequestException("model", "model is required");
    }
    OperationKind kind = OperationKind.parse(body.operation());
    JsonNode p = body.parameters() == null ? mapper.createObjectNode() : body.parameters();
    Operation op;
    try {
      op = switch (kind) {
        case SAMPLES -> mapper.treeToValue(p, Requests.Sample.class).toOperation(body.model());
        case INPAINT -> mapper.treeToValue(p, Requests.Inpaint.class).toOperation(body.model());
        case COLORIZE -> mapper.treeToValue(p, Requests.Colorize.class).toOperation(body.model());
        case INTERPOLATE -> mapper.treeToValue(p, Requests.Interpolate.class).toOperation(body.model());
        case ENCODE -> mapper.treeToValue(p, Requests.Encode.class).toOperation(body.model());
        case DECODE -> mapper.treeToValue(p, Requests.Decode.class).toOperation(body.model());
        case LIKELIHOOD -> mapper.treeToValue(p, Requests.Likelihood.class).toOperation(body.model());
      };
    } catch (JacksonException e) {
      throw new InvalidRequestException("parameters" + e.getPathReference().replaceFirst("^[^\\[\"]*", ""),
          "parameters: " + e.getOriginalMessage());
    }
    return Responder.accepted(jobs, op, request);
  }

  @GetMapping("/v1/jobs/{id}")
  @io.swagger.v3.oas.annotations.Operation(summary = "A job's status, progress and (when done) result")
  Responses.Job get(@PathVariable String id) {
    Job job = jobs.get(id);
    return JobViews.of(job, job.state() == dev.scoresde.serve.runtime.Execution.State.SUCCEEDED ? jobs.result(id) : null);
  }

  @DeleteMapping("/v1/jobs/{id}")
  @io.swagger.v3.oas.annotations.Operation(summary = "Cancel a job",
      description = "Stops it at its next step (or removes it from the queue); its status becomes cancelled.")
  Responses.Job cancel(@PathVariable String id) {
    return JobViews.of(jobs.cancel(id), null);
  }

  @GetMapping(path = "/v1/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @io.swagger.v3.oas.annotations.Operation(summary = "Progress as Server-Sent Events",
      description = "Events 'progress' {step, totalSteps, nfe, t} while running, then one of 'succeeded', 'failed' "
          + "or 'cancelled' with the job's status, and the stream ends.")
  SseEmitter events(@PathVariable String id) {
    SseEmitter emitter = new SseEmitter(Duration.ofHours(1).toMillis());
    JobStore.Watch watch = jobs.watch(id, new JobListener() {
      @Override
      public void progress(SamplingListener.Progress p) {
        send(emitter, "progress", JobViews.progress(p));
      }

      @Override
      public void ended(Job job) {
        try {
          Responses.Job view = JobViews.of(job, null);
          synchronized (emitter) {
            emitter.send(SseEmitter.event().name(view.status()).data(view, MediaType.APPLICATION_JSON));
          }
          emitter.complete();
        } catch (IOException | RuntimeException ex) {
          emitter.completeWithError(ex);
        }
      }
    });
    emitter.onCompletion(watch::close);
    emitter.onTimeout(watch::close);
    emitter.onError(t -> watch.close());
    return emitter;
  }

  private static void send(SseEmitter emitter, String name, Object data) {
    try {
      synchronized (emitter) {
        emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
