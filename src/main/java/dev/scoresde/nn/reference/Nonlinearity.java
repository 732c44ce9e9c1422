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
      case SWISH -> silu(x); // nn.SiLU
      case ELU -> Activation.elu(x, 1f);
      case RELU -> Activation.relu(x);
      case LRELU -> Activation.leakyRelu(x, 0.2f);
    };
  }

  /**
   * x·sigmoid(x). Without autograd the product goes into sigmoid's fresh output (one allocation, not two);
   * with it, sigmoid's backward reads that output, so it must stay.
   */
  private static NDArray silu(NDArray x) {
    NDArray s = Activation.sigmoid(x);
    return TorchModule.untracked() ? s.muli(x) : x.mul(s);
  }
}
