package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The reference's {@code config.model.nonlinearity} (layers.get_act). */
public enum Nonlinearity {
  @JsonProperty("swish") SWISH,
  @JsonProperty("elu") ELU,
  @JsonProperty("relu") RELU,
  @JsonProperty("lrelu") LRELU;

  NDArray apply(NDArray x) {
    return switch (this) {
      case SWISH -> x.mul(Activation.sigmoid(x)); // nn.SiLU
      case ELU -> Activation.elu(x, 1f);
      case RELU -> Activation.relu(x);
      case LRELU -> Activation.leakyRelu(x, 0.2f);
    };
  }
}
