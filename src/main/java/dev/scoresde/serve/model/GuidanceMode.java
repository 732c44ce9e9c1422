package dev.scoresde.serve.model;

import java.util.Locale;

/** How a class label steers the score: not at all, classifier-free guidance or classifier guidance. */
public enum GuidanceMode {
  NONE(null),
  CLASSIFIER_FREE("classifier-free"),
  CLASSIFIER("classifier");

  private final String apiName;

  GuidanceMode(String apiName) {
    this.apiName = apiName;
  }

  /** The API's name (null for NONE). */
  public String apiName() {
    return apiName;
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
