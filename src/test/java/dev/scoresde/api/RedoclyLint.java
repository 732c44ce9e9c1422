package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pinned Redocly CLI of tools/openapi-lint ({@code npm ci} there; .ci/run does it) on an OpenAPI document:
 * {@code lint --extends recommended} must exit 0 with no error and no warning. Skips (an assumption) where the CLI is
 * not installed.
 */
final class RedoclyLint {
  static final Path REDOCLY = Path.of("tools/openapi-lint/node_modules/.bin/redocly");

  private RedoclyLint() {}

  /** Writes the document to target/openapi/{name}.json and lints it; redocly's report is the failure message. */
  static void assertClean(String document, String name) throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(REDOCLY), "Redocly CLI not installed: cd tools/openapi-lint && npm ci");
    Path dir = Path.of("target/openapi");
    Files.createDirectories(dir);
    Path doc = dir.resolve(name + ".json");
    Path out = dir.resolve(name + ".redocly.json");
    Path err = dir.resolve(name + ".redocly.log");
    Files.writeString(doc, document);
    ProcessBuilder pb = new ProcessBuilder(REDOCLY.toAbsolutePath().toString(), "lint", "--extends", "recommended",
        "--format", "json", doc.toAbsolutePath().toString()).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("REDOCLY_TELEMETRY", "off");
    pb.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    pb.environment().put("NO_COLOR", "1");
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "redocly did not finish in 120 s");
    String report = Files.readString(out) + Files.readString(err);
    assertEquals(0, p.exitValue(), report);
    JsonNode totals = JsonMapper.builder().build().readTree(Files.readString(out)).get("totals");
    assertEquals(0, totals.get("errors").asInt(), report);
    assertEquals(0, totals.get("warnings").asInt(), report);
  }
}
