package dev.scoresde.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image end to end: built from the Dockerfile (the same multi-stage build an operator runs), started with
 * the analytic patterns model, ready through its readiness group, then samples and their likelihood over HTTP.
 * Skipped where no Docker engine runs; the first build takes several minutes (Maven inside the image).
 */
@Testcontainers(disabledWithoutDocker = true)
class ImageEndToEndTest {

  @Container
  static final GenericContainer<?> SERVER = new GenericContainer<>(
      new ImageFromDockerfile("score-sde-e2e", false).withDockerfile(Path.of("Dockerfile")))
      .withCommand("--score-sde.models.patterns.kind=gaussian-mixture",
          "--score-sde.models.patterns.mixture.preset=patterns-16")
      .withExposedPorts(8080)
      .waitingFor(Wait.forHttp("/actuator/health/readiness").forStatusCode(200)
          .withStartupTimeout(Duration.ofMinutes(3)));

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final JsonMapper json = JsonMapper.builder().build();

  JsonNode post(String path, String body) throws Exception {
    URI uri = URI.create("http://" + SERVER.getHost() + ":" + SERVER.getMappedPort(8080) + path);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return json.readTree(r.body());
  }

  @Test
  void theImageServesSamplesAndTheirLikelihood() throws Exception {
    JsonNode samples = post("/v1/models/patterns/samples", "{\"n\": 2, \"sampler\": \"ode\", \"seed\": 1}");
    assertEquals(2, samples.get("images").size());
    String png = samples.get("images").get(0).asString();
    assertFalse(png.isEmpty());
    JsonNode likelihood = post("/v1/models/patterns/likelihood",
        "{\"images\": [\"" + png + "\"], \"probes\": 1, \"seed\": 0}");
    double bpd = likelihood.get("metadata").get("bitsPerDim").asDouble();
    assertTrue(Double.isFinite(bpd) && bpd > 0, "bits/dim " + bpd);
  }
}
