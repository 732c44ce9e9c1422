package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every client mistake gets a problem document with a 4xx status (never 500), naming the parameter. */
class ErrorsApiTest extends ServiceTestBase {
  static final String P4 = b64(ServiceFixtures.grayPng(4, (x, y) -> 40 * x));
  static final String P5 = b64(ServiceFixtures.grayPng(5, (x, y) -> 0));
  static final String RGB4 = b64(ServiceFixtures.rgbPng(4, (x, y) -> 0x336699));
  static final String NOT_IMAGE = b64("hello, not an image".getBytes());

  static Stream<Arguments> mistakes() {
    String s = "/v1/models/patterns/samples";
    String in = "/v1/models/patterns/inpaint";
    String it = "/v1/models/patterns/interpolate";
    String lk = "/v1/models/patterns/likelihood";
    return Stream.of(
        Arguments.of(s, "{\"n\": ", 400, null),
        Arguments.of(s, "", 400, null),
        Arguments.of(s, "[1, 2]", 400, null),
        Arguments.of(s, "{\"n\": \"many\"}", 400, null),
        Arguments.of(s, "{\"n\": 2.5}", 400, null),
        Arguments.of(s, "{\"nn\": 2}", 400, null),
        Arguments.of(s, "{\"n\": 0}", 400, "n"),
        Arguments.of(s, "{\"n\": 17}", 400, "n"),
        Arguments.of(s, "{\"n\": -3}", 400, "n"),
        Arguments.of(s, "{\"steps\": 1}", 400, "steps"),
        Arguments.of(s, "{\"steps\": 5000}", 400, "steps"),
        Arguments.of(s, "{\"snr\": -1}", 400, "snr"),
        Arguments.of(s, "{\"snr\": \"NaN\"}", 400, "snr"),
        Arguments.of(s, "{\"snr\": 2}", 400, "snr"),
        Arguments.of(s, "{\"temperature\": 0}", 400, "temperature"),
        Arguments.of(s, "{\"temperature\": 2.5}", 400, "temperature"),
        Arguments.of(s, "{\"temperature\": \"Infinity\"}", 400, "temperature"),
        Arguments.of(s, "{\"temperature\": -1}", 400, "temperature"),
        Arguments.of(s, "{\"sampler\": \"ddim\", \"temperature\": 2.01}", 400, "temperature"),
        Arguments.of(s, "{\"eta\": 0.5}", 400, "eta"),
        Arguments.of(s, "{\"sampler\": \"pc\", \"eta\": 0.5}", 400, "eta"),
        Arguments.of(s, "{\"sampler\": \"ddim\", \"eta\": 1.5}", 400, "eta"),
        Arguments.of(s, "{\"sampler\": \"ddim\", \"churn\": 1}", 400, "churn"),
        Arguments.of(s, "{\"sampler\": \"heun\", \"churn\": -1}", 400, "churn"),
        Arguments.of(s, "{\"sampler\": \"heun\", \"timeGrid\": \"nonsense\"}", 400, "timeGrid"),
        Arguments.of(s, "{\"timeGrid\": \"karras\"}", 400, "timeGrid"),
        Arguments.of(in, "{\"image\": \"" + P4 + "\", \"mask\": \"" + P4 + "\", \"eta\": 0.3}", 400, "eta"),
        Arguments.of(s, "{\"sampler\": \"magic\"}", 400, "sampler"),
        Arguments.of(s, "{\"corrector\": \"magic\"}", 400, "corrector"),
        Arguments.of(s, "{\"sampler\": \"euler-maruyama\", \"corrector\": \"langevin\"}", 400, "corrector"),
        Arguments.of(s, "{\"seed\": -1}", 400, "seed"),
        Arguments.of(s, "{\"classLabel\": \"unicorn\"}", 400, "classLabel"),
        Arguments.of(s, "{\"classLabel\": 7}", 400, "classLabel"),
        Arguments.of(s, "{\"guidance\": 1}", 400, "guidance"),
        Arguments.of(s, "{\"classLabel\": 1, \"guidance\": -1}", 400, "guidance"),
        Arguments.of(s, "{\"classLabel\": 1, \"guidanceMode\": \"magic\"}", 400, "guidanceMode"),
        Arguments.of("/v1/models/nope/samples", "{}", 404, null),
        Arguments.of(in, "{\"image\": \"!!!\", \"mask\": \"" + P4 + "\"}", 400, "image"),
        Arguments.of(in, "{\"image\": \"" + NOT_IMAGE + "\", \"mask\": \"" + P4 + "\"}", 400, "image"),
        Arguments.of(in, "{\"image\": \"" + P5 + "\", \"mask\": \"" + P4 + "\"}", 400, "image"),
        Arguments.of(in, "{\"image\": \"" + P4 + "\", \"mask\": \"" + P5 + "\"}", 400, "mask"),
        Arguments.of(in, "{\"image\": \"" + RGB4 + "\", \"mask\": \"" + P4 + "\"}", 400, "image"),
        Arguments.of(in, "{\"image\": \"" + P4 + "\"}", 400, "mask"),
        Arguments.of(in, "{\"image\": \"" + P4 + "\", \"mask\": \"" + P4 + "\", \"guidance\": -1}", 400, "guidance"),
        Arguments.of(in, "{\"image\": \"" + P4 + "\", \"mask\": \"" + P4 + "\", \"guidance\": 101}", 400, "guidance"),
        Arguments.of(in, "{\"image\": \"" + P4 + "\", \"mask\": \"" + P4 + "\", \"guidance\": 21}", 400, "guidance"),
        Arguments.of(in, "{\"image\": \"" + P4 + "\", \"mask\": \"" + P4 + "\", \"guidance\": \"NaN\"}", 400,
            "guidance"),
        Arguments.of("/v1/models/patterns/colorize", "{\"image\": \"" + P4 + "\"}", 422, null),
        Arguments.of(it, "{\"seedA\": 1, \"seedB\": 2, \"frames\": 1}", 400, "frames"),
        Arguments.of(it, "{\"seedA\": 1, \"seedB\": 2, \"frames\": 17}", 400, "frames"),
        Arguments.of(it, "{\"seedA\": 1, \"seedB\": 2, \"method\": \"cubic\"}", 400, "method"),
        Arguments.of(it, "{\"seedA\": 1, \"imageB\": \"" + P4 + "\"}", 400, "seedA"),
        Arguments.of(it, "{}", 400, "seedA"),
        Arguments.of(it, "{\"seedA\": 1}", 400, "seedB"),
        Arguments.of("/v1/models/patterns/decode", "{\"latents\": [[1, 2, 3]]}", 400, "latents"),
        Arguments.of("/v1/models/patterns/decode", "{\"latents\": [[NaN]]}", 400, null),
        Arguments.of("/v1/models/patterns/decode", "{\"latents\": []}", 400, "latents"),
        // huge or non-finite numbers: refused by name before any computation (1e30 once made the ODE diverge: 500)
        Arguments.of("/v1/models/patterns/decode", "{\"latents\": [" + latent("1e30") + "]}", 400, "latents"),
        Arguments.of("/v1/models/patterns/decode", "{\"latents\": [" + latent("-1e6") + "]}", 400, "latents"),
        Arguments.of("/v1/models/patterns/decode", "{\"latents\": [" + latent("1e39") + "]}", 400, "latents"),
        Arguments.of("/v1/models/patterns/decode", "{\"latents\": [" + latent("1") + "], \"rtol\": 1e300}", 400,
            "rtol"),
        Arguments.of("/v1/models/patterns/decode", "{\"latents\": [" + latent("1") + "], \"atol\": 1e-300}", 400,
            "atol"),
        Arguments.of("/v1/models/patterns/encode", "{\"images\": [\"" + P4 + "\"], \"rtol\": -1e308}", 400, "rtol"),
        Arguments.of(it, "{\"seedA\": 1, \"seedB\": 2, \"atol\": 1e30}", 400, "atol"),
        Arguments.of(it, "{\"seedA\": 1e300, \"seedB\": 2}", 400, null),
        Arguments.of(it, "{\"seedA\": 1, \"seedB\": 2, \"frames\": 1e10}", 400, null),
        Arguments.of(lk, "{\"images\": [\"" + P4 + "\"], \"probes\": 1e9}", 400, null),
        Arguments.of(lk, "{\"images\": [\"" + P4 + "\"], \"seed\": 1e30}", 400, null),
        Arguments.of(lk, "{\"images\": [\"" + P4 + "\"], \"rtol\": 1e-30}", 400, "rtol"),
        Arguments.of(lk, "{\"images\": [\"" + P4 + "\"], \"probes\": 0}", 400, "probes"),
        Arguments.of(lk, "{\"images\": [\"" + P4 + "\"], \"probes\": 9}", 400, "probes"),
        Arguments.of(lk, "{\"images\": [\"" + P4 + "\"], \"estimator\": \"magic\"}", 400, "estimator"),
        Arguments.of(lk, "{\"images\": []}", 400, "images"),
        Arguments.of(lk, "{\"images\": [\"" + NOT_IMAGE + "\"]}", 400, "images[0]"),
        Arguments.of(lk, "{\"images\": [" + ("\"" + P4 + "\",").repeat(8) + "\"" + P4 + "\"]}", 400, "images"),
        Arguments.of("/v1/models/patterns/encode", "{\"images\": [\"" + P5 + "\"]}", 400, "images[0]"),
        Arguments.of(s + "?async=maybe", "{}", 400, null),
        Arguments.of(s + "?timeoutMs=0", "{}", 400, "timeoutMs"),
        Arguments.of("/v1/jobs", "{\"model\": \"patterns\", \"operation\": \"magic\"}", 400, "operation"),
        Arguments.of("/v1/jobs", "{\"operation\": \"samples\"}", 400, "model"),
        Arguments.of("/v1/jobs", "{\"model\": \"patterns\", \"operation\": \"samples\", \"parameters\": {\"n\": \"x\"}}",
            400, null),
        Arguments.of("/v1/jobs", "{\"model\": \"patterns\", \"operation\": \"samples\", \"parameters\": {\"n\": 99}}",
            400, "n"));
  }

  /** A latent of the patterns model (16 values), every value v. */
  static String latent(String v) {
    return "[" + String.join(", ", java.util.Collections.nCopies(16, v)) + "]";
  }

  @ParameterizedTest(name = "{0} {1} → {2}")
  @MethodSource("mistakes")
  void isAProblemDocument(String path, String body, int status, String parameter) {
    JsonNode p = expect(status, postJson(path, body));
    if (parameter != null) {
      assertEquals(parameter, p.get("parameter").asString(), p.toString());
    }
  }

  @org.junit.jupiter.api.Test
  void otherMistakes() {
    expect(415, send(HttpRequest.newBuilder(uri("/v1/models/patterns/samples")).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("n=2")).build()));
    String big = "{\"images\": [\"" + "A".repeat(70_000) + "\"]}";
    expect(413, postJson("/v1/models/patterns/likelihood", big));
    expect(404, get("/v1/jobs/does-not-exist"));
    expect(404, delete("/v1/jobs/does-not-exist"));
    expect(405, get("/v1/models/patterns/samples"));
    HttpResponse<String> multipartTooLarge = send(Multipart.builder()
        .file("image", "a.png", new byte[40_000]).file("mask", "m.png", ServiceFixtures.grayPng(4, (x, y) -> 255))
        .request(uri("/v1/models/patterns/inpaint")));
    expect(413, multipartTooLarge);
    expect(400, send(Multipart.builder().file("image", "a.png", "not a png".getBytes())
        .file("mask", "m.png", ServiceFixtures.grayPng(4, (x, y) -> 255)).request(uri("/v1/models/patterns/inpaint"))));
    expect(400, send(Multipart.builder().file("image", "a.png", ServiceFixtures.grayPng(4, (x, y) -> 9))
        .field("n", "lots").file("mask", "m.png", ServiceFixtures.grayPng(4, (x, y) -> 255))
        .request(uri("/v1/models/patterns/inpaint"))));
    expect(400, send(Multipart.builder().file("image", "a.png", ServiceFixtures.grayPng(4, (x, y) -> 9))
        .request(uri("/v1/models/patterns/inpaint"))));
  }
}
