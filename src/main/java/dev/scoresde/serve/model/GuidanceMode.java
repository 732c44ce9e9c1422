package dev.scoresde.serve.model;

import java.util.Locale;

/** How a class label steers the score: not at all, classifier-free guidance or classifier guidance. */
public enum GuidanceMode {
  NONE,
  CLASSIFIER_FREE,
  CLASSIFIER;

  /** The API's name: classifier-free or classifier (none for NONE, which no request names). */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** By its API name ("cfg" for classifier-free too), or null for an unknown one. */
  public static GuidanceMode byApiName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "classifier-free", "cfg" -> CLASSIFIER_FREE;
      case "classifier" -> CLASSIFIER;
      default -> null;
    };
  }
}
