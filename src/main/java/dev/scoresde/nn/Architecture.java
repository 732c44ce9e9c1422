package dev.scoresde.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The networks a {@link NetworkSpec} can describe, by the names model.json and the job files use. */
public enum Architecture {
  /** The DDPM++ U-Net (Song et al. 2021, Appendix H.2; the reference's ncsnpp.py with DDPM++ options). */
  DDPMPP("ddpmpp"),
  /** The NCSN++ U-Net (Appendix H.1): the same network with FIR resampling, pyramids and Fourier features. */
  NCSNPP("ncsnpp"),
  /** A residual MLP score network for low-dimensional data (batch, d). */
  MLP("mlp"),
  /** The noise-conditional classifier p_t(y | x(t)) of classifier guidance (Appendix I.1). */
  CLASSIFIER("classifier"),
  /** The evaluation's plain classifier of clean images, whose features the Fréchet distance compares. */
  FEATURE_CNN("feature-cnn"),
  /** A network imported from the reference implementation; its configuration is in {@code reference}. */
  REFERENCE("reference");

  private final String id;

  Architecture(String id) {
    this.id = id;
  }

  /** The name in model.json and job files. */
  @JsonValue
  public String id() {
    return id;
  }

  /** The architecture named {@code name}; IllegalArgumentException listing the names if there is none. */
  @JsonCreator
  public static Architecture parse(String name) {
    for (Architecture a : values()) {
      if (a.id.equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown architecture '" + name + "', known: "
        + Arrays.stream(values()).map(Architecture::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}
