package dev.scoresde.train.job;

import static dev.scoresde.train.job.TrainingJobFactory.or;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.nn.Architecture;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import dev.scoresde.nn.reference.ReferenceConfig.Progressive;
import dev.scoresde.nn.reference.ReferenceConfig.ProgressiveInput;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The network of a job: a named preset with any field overridden, or the fields alone. Channels, image
 * size and class count always come from the data and the objective, never from the preset.
 */
final class NetworkSpecs {
  private NetworkSpecs() {}

  static NetworkSpec resolve(TrainingProperties.Network n, Function<String, NetworkSpec> presets, DataShape shape,
      int numClasses) {
    TrainingProperties.Network o = n != null ? n
        : new TrainingProperties.Network(null, null, null, null, null, null, null, null, null, null, null, null, null);
    NetworkSpec base = null;
    if (o.preset() != null && !o.preset().isBlank()) {
      try {
        base = presets.apply(o.preset());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("unknown preset '" + o.preset() + "': " + e.getMessage());
      }
      if (base == null) {
        throw new IllegalArgumentException("unknown preset '" + o.preset() + "'");
      }
    }
    String architectureName = or(o.architecture(), base == null ? null : base.architecture().id());
    Integer nf = or(o.nf(), base == null ? null : base.nf());
    if (architectureName == null || nf == null) {
      throw new IllegalArgumentException("give a preset, or at least architecture and nf");
    }
    Architecture architecture = Architecture.parse(architectureName);
    if (nf < 1) {
      throw new IllegalArgumentException("nf must be positive, got " + nf);
    }
    boolean mlp = architecture == Architecture.MLP;
    if (mlp == shape.isImage()) {
      throw new IllegalArgumentException(mlp ? "the mlp network is for vector data, not images"
          : architecture + " is an image network; vector data needs architecture mlp");
    }
    double dropout = or(o.dropout(), base == null ? 0.0 : base.dropout());
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    NetworkSpec.Builder b = base == null ? NetworkSpec.builder(architecture) : base.toBuilder();
    b.architecture(architecture).channels(shape.channels()).imageSize(shape.size()).nf(nf).dropout(dropout)
        .numClasses(numClasses);
    set(o.chMult(), b::chMult);
    set(o.numResBlocks(), b::numResBlocks);
    set(o.attnResolutions(), b::attnResolutions);
    set(o.fir(), b::fir);
    set(o.skipRescale(), b::skipRescale);
    set(option("progressive", Progressive.class, o.progressive()), b::progressive);
    set(option("progressive-input", ProgressiveInput.class, o.progressiveInput()), b::progressiveInput);
    set(option("embedding", EmbeddingType.class, o.embedding()), b::embedding);
    set(o.fourierScale(), b::fourierScale);
    return b.build();
  }

  private static <T> void set(T value, Consumer<T> field) {
    if (value != null) {
      field.accept(value);
    }
  }

  /** The constant of {@code type} that model.json spells {@code name} (null for null). */
  private static <E extends Enum<E>> E option(String field, Class<E> type, String name) {
    if (name == null) {
      return null;
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      String n;
      try {
        n = type.getField(e.name()).getAnnotation(JsonProperty.class).value();
      } catch (NoSuchFieldException x) {
        throw new IllegalStateException(x);
      }
      if (n.equals(name)) {
        return e;
      }
      names.add(n);
    }
    throw new IllegalArgumentException("unknown " + field + " '" + name + "', known: " + String.join(", ", names));
  }
}
