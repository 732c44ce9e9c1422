package dev.scoresde.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import dev.scoresde.serve.task.Operation;
import dev.scoresde.serve.InvalidRequestException;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The operations under {@code /v1/models/{name}/}: validate, translate, delegate. Each answers JSON (base64
 * PNGs and metadata) or, with {@code Accept: image/png}, one PNG grid; {@code ?async=true} makes it a job
 * ({@link Delivery}).
 */
@ConditionalOnWebApplication
@RestController
@Tag(name = "operations", description = "Generation, editing, latent codes and likelihoods")
@ApiResponse(responseCode = "200", description = "the result as JSON, or a PNG grid with Accept: image/png",
    content = {@Content(mediaType = "application/json", schema = @Schema(implementation = Responses.Result.class)),
        @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary"))})
@ApiResponse(responseCode = "202", description = "with ?async=true: the job, and its URL in Location",
    content = @Content(mediaType = "application/json", schema = @Schema(implementation = Responses.Job.class)))
@ApiResponse(responseCode = "400", description = "a bad parameter, malformed JSON, or bytes that are not an image",
    content = @Content(mediaType = "application/problem+json"))
@ApiResponse(responseCode = "404", description = "unknown model", content = @Content(mediaType = "application/problem+json"))
@ApiResponse(responseCode = "413", description = "upload too large", content = @Content(mediaType = "application/problem+json"))
@ApiResponse(responseCode = "422", description = "the model does not support the operation",
    content = @Content(mediaType = "application/problem+json"))
@ApiResponse(responseCode = "429", description = "queue full; see Retry-After",
    content = @Content(mediaType = "application/problem+json"))
@ApiResponse(responseCode = "504", description = "the synchronous deadline passed",
    content = @Content(mediaType = "application/problem+json"))
class OperationsController {
  private static final String BASE = "/v1/models/{name}/";
  private static final String JSON = MediaType.APPLICATION_JSON_VALUE;
  private static final String FORM = MediaType.MULTIPART_FORM_DATA_VALUE;

  private final Responder responder;

  OperationsController(Responder responder) {
    this.responder = responder;
  }

  @PostMapping(path = BASE + "samples", consumes = JSON, produces = {"application/json", "image/png"})
  @io.swagger.v3.oas.annotations.Operation(summary = "Draw samples",
      description = "n images with the chosen sampler (pc, ode, euler-maruyama, reverse-diffusion, ancestral, or a fast "
          + "solver: dpm-solver++2m, dpm-solver++3m, sde-dpm-solver++2m, unipc, unipc-3m, heun, ddim), steps, corrector, snr, timeGrid, "
          + "eta (ddim), churn (heun), seed and temperature; with classLabel (id or name) and guidance for class-conditional "
          + "generation (classifier-free weight or classifier scale).")
  Object samples(@Parameter(example = "patterns") @PathVariable String name, @RequestBody Requests.Sample body,
      Delivery delivery) {
    return responder.run(body.toOperation(name), delivery);
  }

  @PostMapping(path = BASE + "inpaint", consumes = JSON, produces = {"application/json", "image/png"})
  @io.swagger.v3.oas.annotations.Operation(summary = "Inpaint (JSON)",
      description = "Completes the black part of the mask; white pixels of the mask are kept exactly.")
  Object inpaint(@PathVariable String name, @RequestBody Requests.Inpaint body, Delivery delivery) {
    return responder.run(body.toOperation(name), delivery);
  }

  @PostMapping(path = BASE + "inpaint", consumes = FORM, produces = {"application/json", "image/png"})
  @io.swagger.v3.oas.annotations.Operation(summary = "Inpaint (multipart upload)",
      description = "Parts image and mask (PNG files), other fields as form fields.")
  Object inpaintUpload(@PathVariable String name, @RequestPart("image") MultipartFile image,
      @RequestPart("mask") MultipartFile mask, @ModelAttribute Requests.Form form, Delivery delivery) {
    Operation op = new Operation.Inpaint(name, bytes("image", image), bytes("mask", mask), form.n(),
        form.toSamplerFields(), form.seed(), form.guidance());
    return responder.run(op, delivery);
  }

  @PostMapping(path = BASE + "colorize", consumes = JSON, produces = {"application/json", "image/png"})
  @io.swagger.v3.oas.annotations.Operation(summary = "Colorize (JSON)",
      description = "Colour versions of a gray image whose gray channel equals the input's (3-channel models).")
  Object colorize(@PathVariable String name, @RequestBody Requests.Colorize body, Delivery delivery) {
    return responder.run(body.toOperation(name), delivery);
  }

  @PostMapping(path = BASE + "colorize", consumes = FORM, produces = {"application/json", "image/png"})
  @io.swagger.v3.oas.annotations.Operation(summary = "Colorize (multipart upload)", description = "Part image.")
  Object colorizeUpload(@PathVariable String name, @RequestPart("image") MultipartFile image,
      @ModelAttribute Requests.Form form, Delivery delivery) {
    Operation op = new Operation.Colorize(name, bytes("image", image), form.n(), form.toSamplerFields(), form.seed(),
        form.guidance());
    return responder.run(op, delivery);
  }

  @PostMapping(path = BASE + "interpolate", consumes = JSON, produces = {"application/json", "image/png"})
  @io.swagger.v3.oas.annotations.Operation(summary = "Interpolate",
      description = "Frames along a slerp or linear path between the probability-flow latents of two images "
          + "(imageA, imageB) or two prior draws (seedA, seedB).")
  Object interpolate(@PathVariable String name, @RequestBody Requests.Interpolate body, Delivery delivery) {
    return responder.run(body.toOperation(name), delivery);
  }

  @PostMapping(path = BASE + "encode", consumes = JSON, produces = JSON)
  @io.swagger.v3.oas.annotations.Operation(summary = "Encode",
      description = "Images → latents z = x(T) of the probability-flow ODE (uniquely identifiable encoding).")
  Object encode(@PathVariable String name, @RequestBody Requests.Encode body, Delivery delivery) {
    return responder.run(body.toOperation(name), delivery);
  }

  @PostMapping(path = BASE + "decode", consumes = JSON, produces = {"application/json", "image/png"})
  @io.swagger.v3.oas.annotations.Operation(summary = "Decode", description = "Latents → images.")
  Object decode(@PathVariable String name, @RequestBody Requests.Decode body, Delivery delivery) {
    return responder.run(body.toOperation(name), delivery);
  }

  @PostMapping(path = BASE + "likelihood", consumes = JSON, produces = JSON)
  @io.swagger.v3.oas.annotations.Operation(summary = "Likelihood",
      description = "Bits/dim of each image (uniform dequantization, probability-flow ODE, Hutchinson–Skilling "
          + "trace estimator), the NFE used, the estimator settings and the standard error across probes.")
  Object likelihood(@PathVariable String name, @RequestBody Requests.Likelihood body, Delivery delivery) {
    return responder.run(body.toOperation(name), delivery);
  }

  private static byte[] bytes(String field, MultipartFile f) {
    try {
      return f.getBytes();
    } catch (IOException e) {
      throw new InvalidRequestException(field, "cannot read the upload " + field + ": " + e.getMessage());
    }
  }
}
