package dev.scoresde.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP over a plain socket, for requests that java.net.http would never send (bad request lines, lying lengths). */
record RawHttp(int status, Map<String, String> headers, String body) {

  static RawHttp send(int port, byte[] request, int timeoutMs) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(timeoutMs);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      return parse(readAll(s.getInputStream()));
    }
  }

  static RawHttp send(int port, String request) throws IOException {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1), 10_000);
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // what arrived is the answer (a kept-alive connection is not closed by the server)
    }
    return out.toByteArray();
  }

  static RawHttp parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) {
      return new RawHttp(-1, Map.of(), text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
    }
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    body = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    return new RawHttp(Integer.parseInt(lines[0].substring(9, 12)), headers, body);
  }

  private static String dechunk(String s) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int eol = s.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int n = Integer.parseInt(s.substring(i, eol).trim(), 16);
      if (n == 0) {
        break;
      }
      out.append(s, eol + 2, Math.min(s.length(), eol + 2 + n));
      i = eol + 2 + n + 2;
    }
    return out.toString();
  }

  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
