package dev.scoresde.serve;

import java.util.Locale;

/** The operations of the API, by the path segment under {@code /v1/models/{name}/}. */
public enum OperationKind {
  SAMPLES, INPAINT, COLORIZE, INTERPOLATE, ENCODE, DECODE, LIKELIHOOD;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static OperationKind parse(String name) {
    for (OperationKind k : values()) {
      if (k.id().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return k;
      }
    }
    throw new InvalidRequestException("operation", "unknown operation '" + name + "' (expected one of "
        + java.util.Arrays.stream(values()).map(OperationKind::id).toList() + ")");
  }
}
