package dev.scoresde.api;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/** A multipart/form-data body for java.net.http. */
final class Multipart {
  private final String boundary = "----scoresde" + System.nanoTime();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static Multipart builder() {
    return new Multipart();
  }

  Multipart field(String name, String value) {
    write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
    return this;
  }

  Multipart file(String name, String filename, byte[] bytes) {
    write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
        + "\"\r\nContent-Type: image/png\r\n\r\n");
    out.writeBytes(bytes);
    write("\r\n");
    return this;
  }

  HttpRequest request(URI uri) {
    return request(uri, "application/json");
  }

  HttpRequest request(URI uri, String accept) {
    write("--" + boundary + "--\r\n");
    return HttpRequest.newBuilder(uri).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build();
  }

  private void write(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
