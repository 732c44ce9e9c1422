package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * A small PNG that declares 46000 × 46000 pixels (a 2 GB gray raster) is refused from its header, before any pixel
 * is decoded, on every endpoint that takes an image, JSON and multipart; eight at once leave the server serving.
 */
class ImageBombApiTest extends ServiceTestBase {
  static final byte[] BOMB = ServiceFixtures.declaredSizePng(46_000, 46_000);
  static final String B = b64(BOMB);
  static final String P4 = b64(ServiceFixtures.grayPng(4, (x, y) -> 40 * x));
  static final String MASK = b64(ServiceFixtures.grayPng(4, (x, y) -> x < 2 ? 255 : 0));

  static Stream<Arguments> jsonUploads() {
    String m = "/v1/models/patterns/";
    return Stream.of(
        Arguments.of(m + "inpaint", "{\"image\": \"" + B + "\", \"mask\": \"" + MASK + "\"}", "image"),
        Arguments.of(m + "inpaint", "{\"image\": \"" + P4 + "\", \"mask\": \"" + B + "\"}", "mask"),
        Arguments.of("/v1/models/colors/colorize", "{\"image\": \"" + B + "\"}", "image"),
        Arguments.of(m + "likelihood", "{\"images\": [\"" + P4 + "\", \"" + B + "\"]}", "images[1]"),
        Arguments.of(m + "encode", "{\"images\": [\"" + B + "\"]}", "images[0]"),
        Arguments.of(m + "interpolate", "{\"imageA\": \"" + B + "\", \"imageB\": \"" + P4 + "\"}", "imageA"),
        Arguments.of("/v1/jobs", "{\"model\": \"patterns\", \"operation\": \"encode\", \"parameters\": {\"images\": [\""
            + B + "\"]}}", "images[0]"));
  }

  @Test
  void theFixtureIsAValidPngDeclaringTheHugeSize() throws Exception {
    assertTrue(BOMB.length < 200, BOMB.length + " bytes");
    var readers = javax.imageio.ImageIO.getImageReadersByFormatName("png");
    var reader = readers.next();
    reader.setInput(javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(BOMB)));
    assertEquals(46_000, reader.getWidth(0));
    assertEquals(46_000, reader.getHeight(0));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("jsonUploads")
  void aJsonUploadDeclaringAHugeSizeIsRefusedByName(String path, String body, String field) {
    refused(postJson(path, body), field);
  }

  @Test
  void aMultipartUploadDeclaringAHugeSizeIsRefusedByName() {
    byte[] p4 = unb64(P4);
    refused(send(Multipart.builder().file("image", "a.png", BOMB).file("mask", "m.png", unb64(MASK))
        .request(uri("/v1/models/patterns/inpaint"))), "image");
    refused(send(Multipart.builder().file("image", "a.png", p4).file("mask", "m.png", BOMB)
        .request(uri("/v1/models/patterns/inpaint"))), "mask");
    refused(send(Multipart.builder().file("image", "a.png", BOMB).request(uri("/v1/models/colors/colorize"))),
        "image");
  }

  @Test
  void eightAtOnceAreRefusedAndTheServerStillServes() {
    List<CompletableFuture<HttpResponse<String>>> all = IntStream.range(0, 8).mapToObj(i -> HTTP.sendAsync(
        HttpRequest.newBuilder(uri("/v1/models/patterns/encode")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"images\": [\"" + B + "\"]}")).build(),
        HttpResponse.BodyHandlers.ofString())).toList();
    all.forEach(f -> refused(f.join(), "images[0]"));
    expect(200, postJson("/v1/models/patterns/encode", "{\"images\": [\"" + P4 + "\"], \"rtol\": 0.01, \"atol\": 0.01}"));
  }

  private static void refused(HttpResponse<String> r, String field) {
    JsonNode p = expect(400, r);
    assertEquals(field, p.get("parameter").asString(), p.toString());
    assertTrue(p.get("detail").asString().contains("46000×46000"), p.toString());
  }
}
