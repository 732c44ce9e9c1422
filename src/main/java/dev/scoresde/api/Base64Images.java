package dev.scoresde.api;

import dev.scoresde.serve.InvalidRequestException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Images sent as base64 text, with or without a {@code data:image/png;base64,} prefix. */
final class Base64Images {
  private Base64Images() {}

  static byte[] decode(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException(field, field + " is required (a base64-encoded image)");
    }
    String v = value.strip();
    int comma = v.indexOf(',');
    if (v.startsWith("data:") && comma > 0) {
      v = v.substring(comma + 1);
    }
    try {
      return Base64.getMimeDecoder().decode(v);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(field, field + " is not valid base64: " + e.getMessage());
    }
  }

  static byte[] decodeOptional(String field, String value) {
    return value == null ? null : decode(field, value);
  }

  static List<byte[]> decodeAll(String field, List<String> values) {
    if (values == null || values.isEmpty()) {
      throw new InvalidRequestException(field, field + " must hold at least one base64-encoded image");
    }
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      out.add(decode(field + "[" + i + "]", values.get(i)));
    }
    return out;
  }

  static String encode(byte[] png) {
    return Base64.getEncoder().encodeToString(png);
  }
}
